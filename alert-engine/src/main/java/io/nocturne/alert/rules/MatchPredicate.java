package io.nocturne.alert.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.Set;

/**
 * A rule's {@code match} (or {@code clear}): a boolean CEL expression (https://cel.dev) over
 * one event, type-checked against the event model and compiled once.
 */
public final class MatchPredicate {

    private final String expression;
    private final CelAbstractSyntaxTree ast;
    private final CelRuntime.Program program;

    private final boolean alwaysTrue;
    /** The same expression as plain Java, when {@link FastPredicate} can translate it. */
    private final java.util.function.Predicate<TelemetryEvent> fast;

    private MatchPredicate(String expression, CelAbstractSyntaxTree ast, CelRuntime.Program program) {
        this.expression = expression;
        this.ast = ast;
        this.program = program;
        this.alwaysTrue = ast.getExpr().getKind() == dev.cel.common.ast.CelExpr.ExprKind.Kind.CONSTANT
                && ast.getExpr().constant().getKind() == dev.cel.common.ast.CelConstant.Kind.BOOLEAN_VALUE
                && ast.getExpr().constant().booleanValue();
        this.fast = FastPredicate.compile(ast).orElse(null);
    }

    /**
     * Compiles an expression.
     *
     * @throws CelEnvironment.InvalidExpression with every problem CEL found
     */
    public static MatchPredicate compile(String expression) throws CelEnvironment.InvalidExpression {
        CelEnvironment.Compiled c = CelEnvironment.compile(CelEnvironment.PREDICATES, expression);
        return new MatchPredicate(expression, c.ast(), c.program());
    }

    /**
     * Whether the event matches.
     *
     * @throws CelEvaluationException on a runtime error (e.g. an index out of range); the
     *                                caller counts it and treats it as no match
     */
    public boolean test(TelemetryEvent event) throws CelEvaluationException {
        if (alwaysTrue) {
            return true; // "true" (every event of the source, e.g. an absence rule): no interpreter
        }
        if (fast != null) {
            return fast.test(event);
        }
        return Boolean.TRUE.equals(program.eval(CelEnvironment.variables(event)));
    }

    public String expression() {
        return expression;
    }

    /** Whether it runs as plain Java rather than on the CEL interpreter. */
    public boolean translated() {
        return alwaysTrue || fast != null;
    }

    /** CEL's own answer, even when a translation exists: to check the translation against it. */
    boolean testWithCel(TelemetryEvent event) throws CelEvaluationException {
        return Boolean.TRUE.equals(program.eval(CelEnvironment.variables(event)));
    }

    CelAbstractSyntaxTree ast() {
        return ast;
    }

    /** The rule variables it reads: event, syslog, trap, flow. */
    public Set<String> variablesUsed() {
        return CelEnvironment.variablesUsed(ast);
    }
}
