package io.nocturne.alert.rules;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.types.CelKind;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.Set;

/**
 * A CEL expression that yields a value from an event: the {@code field} a threshold rule
 * aggregates ({@code flow.bytes_scaled * 8}) or a computed group label. Checked at load time
 * for its result type, compiled once.
 */
public final class ValueExpression {

    private static final Set<CelKind> NUMERIC = Set.of(CelKind.INT, CelKind.UINT, CelKind.DOUBLE);
    private static final Set<CelKind> LABEL = Set.of(CelKind.INT, CelKind.UINT, CelKind.DOUBLE, CelKind.STRING,
            CelKind.BOOL, CelKind.DYN);

    private final String expression;
    private final CelRuntime.Program program;
    private final CelKind resultKind;
    /** The expression as Java when {@link FastPredicate#compileNumber} can translate it. */
    private final java.util.function.ToDoubleFunction<TelemetryEvent> fast;

    private ValueExpression(String expression, CelRuntime.Program program, CelKind resultKind,
                            java.util.function.ToDoubleFunction<TelemetryEvent> fast) {
        this.expression = expression;
        this.program = program;
        this.resultKind = resultKind;
        this.fast = fast;
    }

    /** A number: int, uint or double. */
    public static ValueExpression numeric(String expression) throws CelEnvironment.InvalidExpression {
        return compile(expression, NUMERIC, "a number (int, uint or double)");
    }

    /** A label value: a string, number or bool, written as text. */
    public static ValueExpression label(String expression) throws CelEnvironment.InvalidExpression {
        return compile(expression, LABEL, "a string, number or bool");
    }

    private static ValueExpression compile(String expression, Set<CelKind> allowed, String wanted)
            throws CelEnvironment.InvalidExpression {
        CelEnvironment.Compiled c = CelEnvironment.compile(CelEnvironment.VALUES, expression);
        CelKind kind = c.ast().getResultType().kind();
        if (!allowed.contains(kind)) {
            throw new CelEnvironment.InvalidExpression(java.util.List.of(new CelEnvironment.CompileError(1, 1,
                    "expression has type " + c.ast().getResultType().name() + ", expected " + wanted)));
        }
        java.util.function.ToDoubleFunction<TelemetryEvent> fast = allowed == NUMERIC
                ? FastPredicate.compileNumber(c.ast()).orElse(null) : null;
        return new ValueExpression(expression, c.program(), kind, fast);
    }

    public double number(TelemetryEvent event) throws CelEvaluationException {
        if (fast != null) {
            return fast.applyAsDouble(event);
        }
        return numberWithCel(event);
    }

    /** CEL's own answer, even when a translation exists: to check the translation against it. */
    double numberWithCel(TelemetryEvent event) throws CelEvaluationException {
        Object v = program.eval(CelEnvironment.variables(event));
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof UnsignedLong u) {
            return u.doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException("not a number: " + v);
    }

    public String text(TelemetryEvent event) throws CelEvaluationException {
        Object v = program.eval(CelEnvironment.variables(event));
        if (v instanceof Double d) {
            return io.nocturne.alert.rules.AnnotationTemplate.number(d);
        }
        return String.valueOf(v);
    }

    /** Whether it runs as plain Java rather than on the CEL interpreter. */
    public boolean translated() {
        return fast != null;
    }

    public String expression() {
        return expression;
    }

    CelKind resultKind() {
        return resultKind;
    }
}
