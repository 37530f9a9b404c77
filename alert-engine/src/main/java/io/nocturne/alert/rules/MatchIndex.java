package io.nocturne.alert.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a match predicate can match, read from its checked CEL tree: a top-level conjunct
 * {@code field == "literal"}, {@code field in ["a", "b"]} or an {@code ||} of equalities on
 * one of the indexed fields means the rule only needs testing against events with one of
 * those values. The matcher then looks rules up by the event's value instead of testing
 * every rule on every event (a trap is tested against the rules for its OID, not against
 * a hundred syslog rules).
 */
public final class MatchIndex {

    /** Event fields rules are indexed by, most selective first. */
    public enum Field {
        TRAP_OID("trap.trap_oid", e -> e.getTrap().getTrapOid()),
        TRAP_NAME("trap.trap_name", e -> e.getTrap().getTrapName()),
        SYSLOG_MNEMONIC("syslog.vendor.mnemonic", e -> e.getSyslog().getVendor().getMnemonic()),
        SYSLOG_APP_NAME("syslog.app_name", e -> e.getSyslog().getAppName()),
        SYSLOG_DIALECT("syslog.dialect", e -> Integer.toString(e.getSyslog().getDialectValue())),
        EXPORTER("event.exporter.address", e -> e.getExporter().getAddress());

        private final String path;
        private final Function<TelemetryEvent, String> value;

        Field(String path, Function<TelemetryEvent, String> value) {
            this.path = path;
            this.value = value;
        }

        public String path() {
            return path;
        }

        public String valueOf(TelemetryEvent event) {
            return value.apply(event);
        }

        static Optional<Field> ofPath(String path) {
            for (Field f : values()) {
                if (f.path.equals(path)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** The rule can only match events whose {@code field} is one of {@code values}. */
    public record Key(Field field, Set<String> values) {
        public Key {
            values = Set.copyOf(values);
        }

        @Override
        public String toString() {
            return field.path() + " in " + new TreeSet<>(values);
        }
    }

    private MatchIndex() {
    }

    /** The most selective key the predicate allows, or empty: the rule is tested on every event of its source. */
    public static Optional<Key> of(MatchPredicate predicate) {
        return best(predicate.ast(), predicate.ast().getExpr());
    }

    /** The best key of a conjunction: any conjunct's key narrows the whole expression. */
    private static Optional<Key> best(CelAbstractSyntaxTree ast, CelExpr e) {
        List<CelExpr> conjuncts = new ArrayList<>();
        flattenAnd(e, conjuncts);
        return conjuncts.stream()
                .map(c -> keyOf(ast, c))
                .flatMap(Optional::stream)
                .min(Comparator.comparing(Key::field));
    }

    private static void flattenAnd(CelExpr e, List<CelExpr> out) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_&&_")) {
            e.call().args().forEach(a -> flattenAnd(a, out));
        } else {
            out.add(e);
        }
    }

    private static Optional<Key> keyOf(CelAbstractSyntaxTree ast, CelExpr e) {
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return Optional.empty();
        }
        var call = e.call();
        switch (call.function()) {
            case "_==_" -> {
                CelExpr a = call.args().get(0);
                CelExpr b = call.args().get(1);
                Optional<Field> f = path(a).flatMap(Field::ofPath);
                Optional<String> v = literal(ast, b);
                if (f.isEmpty() || v.isEmpty()) {
                    f = path(b).flatMap(Field::ofPath);
                    v = literal(ast, a);
                }
                if (f.isPresent() && v.isPresent()) {
                    return Optional.of(new Key(f.get(), Set.of(v.get())));
                }
                return Optional.empty();
            }
            case "@in" -> {
                Optional<Field> f = path(call.args().get(0)).flatMap(Field::ofPath);
                CelExpr list = call.args().get(1);
                if (f.isEmpty() || list.getKind() != CelExpr.ExprKind.Kind.LIST) {
                    return Optional.empty();
                }
                Set<String> values = new TreeSet<>();
                for (CelExpr item : list.list().elements()) {
                    Optional<String> v = literal(ast, item);
                    if (v.isEmpty()) {
                        return Optional.empty();
                    }
                    values.add(v.get());
                }
                return Optional.of(new Key(f.get(), values));
            }
            case "_||_" -> {
                // Both sides must be narrowed on the same field; each side may be a conjunction.
                Optional<Key> left = best(ast, call.args().get(0));
                Optional<Key> right = best(ast, call.args().get(1));
                if (left.isPresent() && right.isPresent() && left.get().field() == right.get().field()) {
                    Set<String> union = new TreeSet<>(left.get().values());
                    union.addAll(right.get().values());
                    return Optional.of(new Key(left.get().field(), union));
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> path(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            return Optional.of(e.ident().name());
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && !e.select().testOnly()) {
            return path(e.select().operand()).map(p -> p + "." + e.select().field());
        }
        return Optional.empty();
    }

    /** A string or integer literal, or an enum constant the checker resolved. */
    private static Optional<String> literal(CelAbstractSyntaxTree ast, CelExpr e) {
        Optional<CelConstant> c = Optional.empty();
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
            c = Optional.of(e.constant());
        } else {
            c = ast.getReference(e.id()).flatMap(CelReference::value);
        }
        return c.flatMap(k -> switch (k.getKind()) {
            case STRING_VALUE -> Optional.of(k.stringValue());
            case INT64_VALUE -> Optional.of(Long.toString(k.int64Value()));
            default -> Optional.empty();
        });
    }
}
