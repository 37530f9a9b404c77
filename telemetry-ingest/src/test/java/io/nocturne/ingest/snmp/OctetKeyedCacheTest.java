package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class OctetKeyedCacheTest {

    private static TrapNormalizer.OidText text(String dotted) {
        return new TrapNormalizer.OidText(dotted, ByteString.copyFromUtf8(dotted), null, null);
    }

    @Test
    void findsAnOidByItsOctetsAnywhereInABuffer() {
        OctetKeyedCache<TrapNormalizer.OidText> cache = new OctetKeyedCache<>(100);
        byte[] ifOperStatus3 = {0x2b, 6, 1, 2, 1, 2, 2, 1, 8, 3};
        cache.put(ifOperStatus3, 0, ifOperStatus3.length, text("1.3.6.1.2.1.2.2.1.8.3"));
        byte[] datagram = {0x30, 0x0c, 0x06, 0x0a, 0x2b, 6, 1, 2, 1, 2, 2, 1, 8, 3, 0x02, 0x01};
        assertThat(cache.get(datagram, 4, 10).dotted()).isEqualTo("1.3.6.1.2.1.2.2.1.8.3");
        assertThat(cache.get(datagram, 4, 9)).isNull(); // a prefix is another OID
        assertThat(cache.get(datagram, 5, 10)).isNull();
        ifOperStatus3[9] = 4; // the cache kept its own copy of the key
        assertThat(cache.get(datagram, 4, 10)).isNotNull();
    }

    @Test
    void growsThenStartsOverWhenFull() {
        OctetKeyedCache<TrapNormalizer.OidText> cache = new OctetKeyedCache<>(5000);
        for (int i = 0; i < 5000; i++) {
            byte[] key = {0x2b, 6, 1, (byte) (0x80 | (i >> 7)), (byte) (i & 0x7f)};
            cache.put(key, 0, key.length, text("1.3.6.1." + i));
        }
        assertThat(cache.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) {
            byte[] key = {0x2b, 6, 1, (byte) (0x80 | (i >> 7)), (byte) (i & 0x7f)};
            assertThat(cache.get(key, 0, key.length).dotted()).isEqualTo("1.3.6.1." + i);
        }
        byte[] one = {0x2b, 6, 2};
        cache.put(one, 0, one.length, text("1.3.6.2"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(one, 0, one.length).dotted()).isEqualTo("1.3.6.2");
        byte[] first = {0x2b, 6, 1, (byte) 0x80, 0};
        assertThat(cache.get(first, 0, first.length)).isNull();
    }
}
