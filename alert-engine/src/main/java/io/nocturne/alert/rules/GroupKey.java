package io.nocturne.alert.rules;

import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.function.Function;

/**
 * One {@code group_by} label: a built-in ({@link GroupLabel}) or a CEL expression
 * ({@code {sensor: 'trap.varbinds[0].name'}}).
 */
public final class GroupKey {

    /** Label values are device-supplied text: cap them so one odd message cannot bloat state. */
    public static final int MAX_VALUE_LENGTH = 256;

    private final String name;
    private final Function<TelemetryEvent, String> builtin;
    private final ValueExpression expression;

    private GroupKey(String name, Function<TelemetryEvent, String> builtin, ValueExpression expression) {
        this.name = name;
        this.builtin = builtin;
        this.expression = expression;
    }

    public static GroupKey builtin(String name) {
        return new GroupKey(name, GroupLabel.extractor(name), null);
    }

    public static GroupKey expression(String name, ValueExpression expression) {
        return new GroupKey(name, null, expression);
    }

    public String name() {
        return name;
    }

    /** The expression's text, or the label name for a built-in. */
    public String definition() {
        return expression == null ? name : name + "=" + expression.expression();
    }

    /** This label's value for the event; an expression that fails at run time gives "". */
    public String valueOf(TelemetryEvent event) {
        String v;
        if (builtin != null) {
            v = builtin.apply(event);
        } else {
            try {
                v = expression.text(event);
            } catch (Exception e) {
                v = "";
            }
        }
        return v.length() > MAX_VALUE_LENGTH ? v.substring(0, MAX_VALUE_LENGTH) : v;
    }
}
