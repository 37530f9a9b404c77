package io.nocturne.common.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Pass-through client settings ({@code nocturne.kafka.producer.*}, {@code ….streams.*}) as
 * Kafka names them. Micronaut binds a flat property or environment variable
 * ({@code -Dnocturne.kafka.producer.linger.ms=20}) into such a map nested
 * ({@code linger → ms → 20}), while YAML may write {@code linger.ms: 20} as one key; both
 * must end up as {@code linger.ms}, or the setting is silently ignored.
 */
public final class PropertyMaps {

    private PropertyMaps() {
    }

    /** Nested maps joined with '.'; values as text. */
    public static Map<String, String> flatten(Map<?, ?> map) {
        Map<String, String> out = new TreeMap<>();
        flatten("", map, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key, nested, out);
            } else if (e.getValue() != null) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }
}
