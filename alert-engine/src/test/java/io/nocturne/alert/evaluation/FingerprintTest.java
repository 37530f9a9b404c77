package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    /** The definition, written the slow and obvious way. */
    private static String reference(String rule, Map<String, String> labels) {
        long h = 0xcbf29ce484222325L;
        StringBuilder sb = new StringBuilder(rule);
        new TreeMap<>(labels).forEach((k, v) -> sb.append('\0').append(k).append('\1').append(v));
        for (byte b : sb.toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    @Test
    void isStableAndIndependentOfLabelOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("if_index", "3");
        a.put("device", "core1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("device", "core1");
        b.put("if_index", "3");
        assertThat(Fingerprint.of("InterfaceDown", a)).isEqualTo(Fingerprint.of("InterfaceDown", b))
                .isEqualTo(reference("InterfaceDown", a)).hasSize(16);
        assertThat(Fingerprint.of("DeviceErrorBurst", Map.of())).isEqualTo(reference("DeviceErrorBurst", Map.of()));
    }

    @Property(tries = 300)
    boolean agreesWithTheDefinition(@ForAll String rule, @ForAll Map<String, String> labels) {
        return Fingerprint.of(rule, labels).equals(reference(rule, labels));
    }
}
