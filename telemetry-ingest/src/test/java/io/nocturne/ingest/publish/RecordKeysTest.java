package io.nocturne.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

    @Test
    void keysAreTheUtf8BytesTheStringSerializerWouldWriteCopiedOncePerExporter() {
        RecordKeys keys = new RecordKeys();
        ByteString a = ByteString.copyFromUtf8("192.0.2.10");
        byte[] first = keys.bytes(a);
        assertThat(first).isEqualTo("192.0.2.10".getBytes(StandardCharsets.UTF_8));
        assertThat(keys.bytes(a)).isSameAs(first);
        assertThat(keys.bytes(ByteString.copyFromUtf8("192.0.2.10"))).isSameAs(first); // equal bytes, other instance
        assertThat(keys.bytes(ByteString.copyFromUtf8("2001:db8::1"))).isEqualTo("2001:db8::1".getBytes(StandardCharsets.UTF_8));
        assertThat(keys.bytes(ByteString.EMPTY)).isEmpty();
    }

    @Test
    void manyExportersShareTheTableWithoutMixingUpTheirKeys() {
        RecordKeys keys = new RecordKeys();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5000; i++) {
                String address = "10." + (i >> 8) + "." + (i & 255) + ".1";
                assertThat(keys.bytes(ByteString.copyFromUtf8(address))).isEqualTo(address.getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
