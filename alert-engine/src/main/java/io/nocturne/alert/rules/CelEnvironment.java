package io.nocturne.alert.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructTypeReference;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CEL environment rule expressions are checked and run in: the protobuf event model is
 * declared to CEL, so {@code syslog.severty} is a load error, not a silent false at 3 a.m.
 * Variables: {@code event} ({@code nocturne.v1.TelemetryEvent}) and its body as
 * {@code syslog}, {@code trap} and {@code flow}. Numbers compare across int, uint and double;
 * the CEL string extensions (split, substring, lowerAscii, replace, ...) are available.
 */
public final class CelEnvironment {

    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

    /** Match predicates: must be boolean. */
    static final Cel PREDICATES = builder().setResultType(SimpleType.BOOL).build();
    /** Values (aggregated fields, group labels): any type, checked by the caller. */
    static final Cel VALUES = builder().build();

    /** The variables of a rule expression. */
    public static final Set<String> VARIABLES = Set.of("event", "syslog", "trap", "flow");

    private CelEnvironment() {
    }

    private static dev.cel.bundle.CelBuilder builder() {
        return CelFactory.plannerCelBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
                // String extensions (split, substring, lowerAscii, replace...): device text
                // often needs cutting up, e.g. a varbind name's instance suffix.
                .addCompilerLibraries(dev.cel.extensions.CelExtensions.strings())
                .addRuntimeLibraries(dev.cel.extensions.CelExtensions.strings())
                .addMessageTypes(TelemetryEvent.getDescriptor())
                .addVar("event", StructTypeReference.create(TelemetryEvent.getDescriptor().getFullName()))
                .addVar("syslog", StructTypeReference.create(SyslogMessage.getDescriptor().getFullName()))
                .addVar("trap", StructTypeReference.create(SnmpTrap.getDescriptor().getFullName()))
                .addVar("flow", StructTypeReference.create(FlowRecord.getDescriptor().getFullName()));
    }

    /** A compile problem: 1-based line and column inside the expression, and what is wrong. */
    public record CompileError(int line, int column, String message) {
    }

    /** An expression CEL rejected, with every problem it found. */
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

    /** A checked expression and its program, compiled once. */
    record Compiled(CelAbstractSyntaxTree ast, CelRuntime.Program program) {
    }

    static Compiled compile(Cel cel, String expression) throws InvalidExpression {
        try {
            CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
            return new Compiled(ast, cel.createProgram(ast));
        } catch (CelValidationException e) {
            throw new InvalidExpression(e.getErrors().stream().map(CelEnvironment::toError).toList());
        } catch (CelEvaluationException e) {
            throw new InvalidExpression(List.of(new CompileError(1, 1, e.getMessage())));
        }
    }

    private static CompileError toError(CelIssue issue) {
        var loc = issue.getSourceLocation();
        // CEL lines are 1-based, columns 0-based.
        return new CompileError(Math.max(1, loc.getLine()), Math.max(0, loc.getColumn()) + 1, issue.getMessage());
    }

    /** The rule variables an expression reads (e.g. {"syslog"}), to infer a rule's source. */
    static Set<String> variablesUsed(CelAbstractSyntaxTree ast) {
        Set<String> out = new HashSet<>();
        collectIdents(ast.getExpr(), out);
        out.retainAll(VARIABLES);
        return out;
    }

    private static void collectIdents(CelExpr e, Set<String> out) {
        switch (e.getKind()) {
            case IDENT -> out.add(e.ident().name());
            case SELECT -> collectIdents(e.select().operand(), out);
            case CALL -> {
                e.call().target().ifPresent(t -> collectIdents(t, out));
                e.call().args().forEach(a -> collectIdents(a, out));
            }
            case LIST -> e.list().elements().forEach(a -> collectIdents(a, out));
            case STRUCT -> e.struct().entries().forEach(en -> collectIdents(en.value(), out));
            case MAP -> e.map().entries().forEach(en -> {
                collectIdents(en.key(), out);
                collectIdents(en.value(), out);
            });
            case COMPREHENSION -> {
                var c = e.comprehension();
                collectIdents(c.iterRange(), out);
                collectIdents(c.accuInit(), out);
                collectIdents(c.loopCondition(), out);
                collectIdents(c.loopStep(), out);
                collectIdents(c.result(), out);
            }
            case CONSTANT, NOT_SET -> {
            }
        }
    }

    /** Resolves the rule variables against one event without building a map per evaluation. */
    static CelVariableResolver variables(TelemetryEvent event) {
        return name -> switch (name) {
            case "event" -> Optional.of(event);
            case "syslog" -> Optional.of(event.getSyslog());
            case "trap" -> Optional.of(event.getTrap());
            case "flow" -> Optional.of(event.getFlow());
            default -> Optional.empty();
        };
    }
}
