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

    /**
     * The rule can only match events whose {@code field} is one of {@code values} (or, for a
     * prefix key, starts with one of them).
     */
    public record Key(Field field, Set<String> values, boolean prefix) {
        public Key {
            values = Set.copyOf(values);
        }

        public Key(Field field, Set<String> values) {
            this(field, values, false);
        }

        @Override
        public String toString() {
            return field.path() + (prefix ? " starts with any of " : " in ") + new TreeSet<>(values);
        }
    }

    /** Renders a rule's keys for people: "a in [..] or b in [..]". */
    public static String describe(List<Key> keys) {
        return keys.stream().map(Key::toString).collect(java.util.stream.Collectors.joining(" or "));
    }

    private MatchIndex() {
    }

    /**
     * The most selective keys the predicate allows: the rule can match only events that
     * satisfy one of them. Empty: the rule is tested on every event of its source.
     */
    public static List<Key> of(MatchPredicate predicate) {
        return best(predicate.ast(), predicate.ast().getExpr());
    }

    /** Fewer keys, exact before prefix, the more selective field first. */
    private static final Comparator<List<Key>> SELECTIVITY = Comparator.<List<Key>>comparingInt(List::size)
            .thenComparing(l -> l.stream().anyMatch(Key::prefix))
            .thenComparing(l -> l.get(0).field());

    /** The best keys of a conjunction: any conjunct's keys narrow the whole expression. */
    private static List<Key> best(CelAbstractSyntaxTree ast, CelExpr e) {
        List<CelExpr> conjuncts = new ArrayList<>();
        flattenAnd(e, conjuncts);
        return conjuncts.stream()
                .map(c -> keysOf(ast, c))
                .filter(l -> !l.isEmpty())
                .min(SELECTIVITY)
                .orElse(List.of());
    }

    /** Keys of one conjunct: an equality, an `in`, a startsWith, or an `||` of keyed sides. */
    private static List<Key> keysOf(CelAbstractSyntaxTree ast, CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_||_")) {
            List<Key> left = best(ast, e.call().args().get(0));
            List<Key> right = best(ast, e.call().args().get(1));
            if (left.isEmpty() || right.isEmpty()) {
                return List.of(); // one side could match anything
            }
            return merge(left, right);
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("startsWith")
                && e.call().target().isPresent() && e.call().args().size() == 1) {
            Optional<Field> f = path(e.call().target().get()).flatMap(Field::ofPath);
            Optional<String> v = literal(ast, e.call().args().get(0));
            if (f.isPresent() && v.isPresent() && !v.get().isEmpty()) {
                return List.of(new Key(f.get(), Set.of(v.get()), true));
            }
            return List.of();
        }
        return keyOf(ast, e).map(List::of).orElse(List.of());
    }

    /** The union of two key lists, keys of the same field and kind combined. */
    private static List<Key> merge(List<Key> a, List<Key> b) {
        List<Key> out = new ArrayList<>(a);
        for (Key k : b) {
            boolean merged = false;
            for (int i = 0; i < out.size(); i++) {
                Key o = out.get(i);
                if (o.field() == k.field() && o.prefix() == k.prefix()) {
                    Set<String> union = new TreeSet<>(o.values());
                    union.addAll(k.values());
                    out.set(i, new Key(o.field(), union, o.prefix()));
                    merged = true;
                    break;
                }
            }
            if (!merged) {
                out.add(k);
            }
        }
        return List.copyOf(out);
    }

    /** Keys for a rule whose match opens and whose clear closes: an event is a candidate if it satisfies either. */
    public static List<Key> union(List<Key> a, List<Key> b) {
        return a.isEmpty() || b.isEmpty() ? List.of() : merge(a, b);
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
