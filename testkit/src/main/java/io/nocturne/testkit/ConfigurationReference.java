package io.nocturne.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps docs/configuration.md true: lists the {@code nocturne.*} keys of a service's
 * application.yml, so a test can check each one is documented.
 */
public final class ConfigurationReference {

    private ConfigurationReference() {
    }

    /** The repository's docs/configuration.md text. */
    public static String documentation() throws IOException {
        Path home = Path.of(System.getProperty("nocturne.home", "..")).toAbsolutePath().normalize();
        return Files.readString(home.resolve("docs/configuration.md"));
    }

    /**
     * Flattened keys under {@code nocturne} in the classpath's application.yml, with
     * {@code normalize} applied (e.g. a listener name replaced by {@code <name>}).
     */
    public static List<String> keys(UnaryOperator<String> normalize) throws IOException {
        try (InputStream in = ConfigurationReference.class.getClassLoader().getResourceAsStream("application.yml")) {
            if (in == null) {
                throw new IOException("application.yml not on the classpath");
            }
            Map<String, Object> root = new Yaml().load(in);
            List<String> out = new ArrayList<>();
            flatten("nocturne", root.get("nocturne"), out);
            return out.stream().map(normalize).distinct().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.add(prefix);
        }
    }
}
