package io.nocturne.alert.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of one alert: FNV-1a 64 over the rule name and the sorted group labels,
 * as 16 hex digits (Alertmanager's fingerprints look the same). Stable across restarts and
 * instances, so it can key state stores, topics and incidents.
 */
public final class Fingerprint {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fingerprint() {
    }

    public static String of(String rule, Map<String, String> groupLabels) {
        long h = OFFSET;
        h = mix(h, rule);
        for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
            h = mix(h, "\u0000" + e.getKey() + "\u0001" + e.getValue());
        }
        return String.format("%016x", h);
    }

    private static long mix(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= PRIME;
        }
        return h;
    }
}
