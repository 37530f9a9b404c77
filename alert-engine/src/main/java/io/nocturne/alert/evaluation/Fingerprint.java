package io.nocturne.alert.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The identity of one alert: FNV-1a 64 over the rule name and the group labels sorted by
 * name (each as {@code \0name\1value}, UTF-8), as 16 hex digits (Alertmanager's fingerprints
 * look the same). Stable across restarts, instances and versions, so it can key state
 * stores, topics and incidents. Computed for every match, so without sorted-map or
 * formatter garbage.
 */
public final class Fingerprint {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Fingerprint() {
    }

    public static String of(String rule, Map<String, String> groupLabels) {
        long h = mix(OFFSET, rule);
        if (!groupLabels.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map.Entry<String, String>[] entries = groupLabels.entrySet().toArray(new Map.Entry[0]);
            if (entries.length > 1) {
                Arrays.sort(entries, Map.Entry.comparingByKey());
            }
            for (Map.Entry<String, String> e : entries) {
                h = (h ^ 0) * PRIME;
                h = mix(h, e.getKey());
                h = (h ^ 1) * PRIME;
                h = mix(h, e.getValue());
            }
        }
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (h & 0xf)];
            h >>>= 4;
        }
        return new String(out);
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return mixUtf8(h, s.substring(i));
            }
            h ^= c;
            h *= PRIME;
        }
        return h;
    }

    private static long mixUtf8(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= PRIME;
        }
        return h;
    }
}
