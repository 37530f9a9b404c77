package io.nocturne.alert.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructTypeReference;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.List;
import java.util.Map;

/**
 * A rule's {@code match}: a CEL expression (https://cel.dev) over one event, compiled once.
 * Variables: {@code event} (the whole {@code nocturne.v1.TelemetryEvent}) and its body as
 * {@code syslog}, {@code trap} or {@code flow}. Numbers compare across int and uint, so
 * {@code syslog.severity <= 3} reads as a NOC engineer writes it.
 */
public final class MatchPredicate {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).build())
            .addMessageTypes(TelemetryEvent.getDescriptor())
            .addVar("event", StructTypeReference.create(TelemetryEvent.getDescriptor().getFullName()))
            .addVar("syslog", StructTypeReference.create(SyslogMessage.getDescriptor().getFullName()))
            .addVar("trap", StructTypeReference.create(SnmpTrap.getDescriptor().getFullName()))
            .addVar("flow", StructTypeReference.create(FlowRecord.getDescriptor().getFullName()))
            .setResultType(SimpleType.BOOL)
            .build();

    private final String expression;
    private final CelRuntime.Program program;

    private MatchPredicate(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    /** A compile problem: 1-based line and column inside the expression, and what is wrong. */
    public record CompileError(int line, int column, String message) {
    }

    /**
     * Compiles an expression.
     *
     * @throws InvalidExpression with every problem CEL found
     */
    public static MatchPredicate compile(String expression) throws InvalidExpression {
        CelValidationResult result = CEL.compile(expression);
        try {
            return new MatchPredicate(expression, CEL.createProgram(result.getAst()));
        } catch (CelValidationException e) {
            List<CompileError> errors = e.getErrors().stream()
                    .map(MatchPredicate::toError)
                    .toList();
            throw new InvalidExpression(errors);
        } catch (CelEvaluationException e) {
            throw new InvalidExpression(List.of(new CompileError(1, 1, e.getMessage())));
        }
    }

    private static CompileError toError(CelIssue issue) {
        var loc = issue.getSourceLocation();
        // CEL lines are 1-based, columns 0-based.
        return new CompileError(Math.max(1, loc.getLine()), Math.max(0, loc.getColumn()) + 1, issue.getMessage());
    }

    /**
     * Whether the event matches.
     *
     * @throws CelEvaluationException on a runtime error (e.g. a division by zero in the
     *                                expression); the caller counts it and treats it as no match
     */
    public boolean test(TelemetryEvent event) throws CelEvaluationException {
        Object result = program.eval(Map.of(
                "event", event,
                "syslog", event.getSyslog(),
                "trap", event.getTrap(),
                "flow", event.getFlow()));
        return Boolean.TRUE.equals(result);
    }

    public String expression() {
        return expression;
    }

    /** An expression CEL rejected. */
    public static final class InvalidExpression extends Exception {
        private final List<CompileError> errors;

        InvalidExpression(List<CompileError> errors) {
            super(errors.isEmpty() ? "invalid expression" : errors.get(0).message());
            this.errors = List.copyOf(errors);
        }

        public List<CompileError> errors() {
            return errors;
        }
    }
}
