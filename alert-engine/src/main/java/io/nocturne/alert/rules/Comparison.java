package io.nocturne.alert.rules;

import java.util.Optional;

/** How a threshold rule compares its value with the threshold. */
public enum Comparison {
    GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean holds(double value, double threshold) {
        return switch (this) {
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case LT -> value < threshold;
            case LE -> value <= threshold;
            case EQ -> value == threshold;
            case NE -> value != threshold;
        };
    }

    public static Optional<Comparison> parse(String s) {
        for (Comparison c : values()) {
            if (c.symbol.equals(s.trim())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
