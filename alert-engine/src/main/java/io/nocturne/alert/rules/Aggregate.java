package io.nocturne.alert.rules;

import java.util.Locale;
import java.util.Optional;

/** How a threshold rule reduces the matching events in its window to one number. */
public enum Aggregate {
    /** The number of matching events. */
    COUNT,
    /** The sum of {@code field}. */
    SUM,
    /** The mean of {@code field}. */
    AVG,
    /** The smallest {@code field}. */
    MIN,
    /** The largest {@code field}. */
    MAX,
    /** Per second over the window: the sum of {@code field}, or the event count without one. */
    RATE,
    /** The number of distinct values of {@code field}. */
    DISTINCT;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code field} is required (count needs none, rate may go without). */
    public boolean needsField() {
        return this != COUNT && this != RATE;
    }

    public static Optional<Aggregate> parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("distinct_count") || v.equals("distinct-count")) {
            return Optional.of(DISTINCT);
        }
        for (Aggregate a : values()) {
            if (a.key().equals(v)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
