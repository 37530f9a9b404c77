package io.nocturne.alert.rules;

import java.util.Locale;
import java.util.Optional;

/** The telemetry stream a rule reads. */
public enum RuleSource {
    SYSLOG("syslog"),
    TRAPS("traps"),
    FLOWS("flows");

    private final String key;

    RuleSource(String key) {
        this.key = key;
    }

    /** The name used in rule files and in {@code nocturne.topics.<key>}. */
    public String key() {
        return key;
    }

    public static Optional<RuleSource> parse(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (RuleSource s : values()) {
            if (s.key.equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
