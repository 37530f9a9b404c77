package io.nocturne.alert.rules;

import com.google.common.primitives.UnsignedLong;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VarBind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plain Java for the predicates most rules are made of: {@code &&}, {@code ||}, {@code !},
 * comparisons of a scalar event field with a literal, {@code in} a list of literals, and
 * {@code contains} / {@code startsWith} / {@code endsWith} on a string field. The checked
 * CEL tree of such an expression is translated once, and so are {@code exists} / {@code all}
 * over a repeated message field whose predicate is of that kind on the element's fields
 * ({@code trap.varbinds.exists(v, v.name.startsWith("...") && v.integer != 1)}); anything
 * else (other comprehensions, functions, map and list fields, presence tests) stays with the
 * CEL interpreter. Field
 * semantics are CEL's over proto3: an unset field reads as its default, the body of another
 * kind reads as an empty message, numbers compare across int, uint and double.
 */
final class FastPredicate {

    /** A scalar read from the event (or a list element): Long (signed), UnsignedLong, Double, String or Boolean. */
    private record Field<T>(Function<T, Object> read, Kind kind) {
    }

    /**
     * What the identifiers of an expression name: the rule variables ({@code event},
     * {@code syslog}, {@code trap}, {@code flow}) at the top, the iteration variable inside an
     * {@code exists} / {@code all} over a repeated message field.
     */
    private interface Scope<T> {
        /** The scalar field at {@code path} under identifier {@code root}, or null if not translatable. */
        Field<T> field(String root, List<String> path);
    }

    private enum Kind { NUMBER, STRING, BOOL }

    private static final Map<String, Function<TelemetryEvent, Object>> HOT = new HashMap<>();

    static {
        // Direct generated getters for the fields rules use most; others go through descriptors.
        HOT.put("syslog.severity", e -> (long) e.getSyslog().getSeverity());
        HOT.put("syslog.facility", e -> (long) e.getSyslog().getFacility());
        HOT.put("syslog.message", e -> e.getSyslog().getMessage());
        HOT.put("syslog.app_name", e -> e.getSyslog().getAppName());
        HOT.put("syslog.hostname", e -> e.getSyslog().getHostname());
        HOT.put("syslog.msg_id", e -> e.getSyslog().getMsgId());
        HOT.put("syslog.vendor.vendor", e -> e.getSyslog().getVendor().getVendor());
        HOT.put("syslog.vendor.facility", e -> e.getSyslog().getVendor().getFacility());
        HOT.put("syslog.vendor.mnemonic", e -> e.getSyslog().getVendor().getMnemonic());
        HOT.put("syslog.vendor.severity", e -> (long) e.getSyslog().getVendor().getSeverity());
        HOT.put("syslog.dialect", e -> (long) e.getSyslog().getDialectValue());
        HOT.put("trap.trap_oid", e -> e.getTrap().getTrapOid());
        HOT.put("trap.trap_name", e -> e.getTrap().getTrapName());
        HOT.put("trap.community", e -> e.getTrap().getCommunity());
        HOT.put("flow.dst_port", e -> (long) e.getFlow().getDstPort());
        HOT.put("flow.src_port", e -> (long) e.getFlow().getSrcPort());
        HOT.put("flow.ip_protocol", e -> (long) e.getFlow().getIpProtocol());
        HOT.put("flow.in_interface", e -> (long) e.getFlow().getInInterface());
        HOT.put("flow.out_interface", e -> (long) e.getFlow().getOutInterface());
        HOT.put("flow.src_as", e -> (long) e.getFlow().getSrcAs());
        HOT.put("flow.dst_as", e -> (long) e.getFlow().getDstAs());
        HOT.put("flow.tcp_flags", e -> (long) e.getFlow().getTcpFlags());
        HOT.put("flow.bytes", e -> UnsignedLong.fromLongBits(e.getFlow().getBytes()));
        HOT.put("flow.packets", e -> UnsignedLong.fromLongBits(e.getFlow().getPackets()));
        HOT.put("flow.bytes_scaled", e -> UnsignedLong.fromLongBits(e.getFlow().getBytesScaled()));
        HOT.put("flow.packets_scaled", e -> UnsignedLong.fromLongBits(e.getFlow().getPacketsScaled()));
        HOT.put("flow.sampling_rate", e -> UnsignedLong.fromLongBits(e.getFlow().getSamplingRate()));
        HOT.put("event.listener", TelemetryEvent::getListener);
        HOT.put("event.exporter.address", e -> e.getExporter().getAddress());
        HOT.put("event.device.name", e -> e.getDevice().getName());
        HOT.put("event.device.address", e -> e.getDevice().getAddress());
    }

    private static final Map<String, Descriptor> ROOTS = Map.of(
            "event", TelemetryEvent.getDescriptor(), "syslog", SyslogMessage.getDescriptor(),
            "trap", SnmpTrap.getDescriptor(), "flow", FlowRecord.getDescriptor());

    private FastPredicate() {
    }

    /** The expression as Java, or empty when it uses anything this does not translate. */
    static Optional<Predicate<TelemetryEvent>> compile(CelAbstractSyntaxTree ast) {
        try {
            return Optional.ofNullable(bool(ast, ast.getExpr(), EVENT));
        } catch (RuntimeException e) {
            return Optional.empty(); // not translatable: CEL evaluates it
        }
    }

    /**
     * A numeric value expression as Java: a scalar field, {@code double()/int()/uint()} of one,
     * literals, and {@code + - * /} between them, evaluated in double. Empty when it uses
     * anything else, or integer arithmetic (whose overflow and division CEL defines otherwise).
     */
    static Optional<java.util.function.ToDoubleFunction<TelemetryEvent>> compileNumber(CelAbstractSyntaxTree ast) {
        try {
            return Optional.ofNullable(number(ast, ast.getExpr(), true));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static java.util.function.ToDoubleFunction<TelemetryEvent> number(CelAbstractSyntaxTree ast, CelExpr e, boolean top) {
        Object lit = literal(ast, e);
        if (lit != null) {
            if (!isNumber(lit)) {
                return null;
            }
            double v = toDouble(lit);
            return x -> v;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            // A bare field is only translated at the top (its CEL type is then the field's own);
            // inside arithmetic CEL would do integer arithmetic on int fields.
            Field<TelemetryEvent> f = field(e, EVENT);
            if (f == null || f.kind() != Kind.NUMBER || !top) {
                return null;
            }
            Function<TelemetryEvent, Object> read = f.read();
            return x -> toDouble(read.apply(x));
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return null;
        }
        var call = e.call();
        List<CelExpr> args = call.args();
        switch (call.function()) {
            case "double": {
                if (args.size() != 1 || call.target().isPresent()) {
                    return null;
                }
                Field<TelemetryEvent> f = field(args.get(0), EVENT);
                if (f == null || f.kind() != Kind.NUMBER) {
                    return null;
                }
                Function<TelemetryEvent, Object> read = f.read();
                return x -> toDouble(read.apply(x));
            }
            case "_+_", "_-_", "_*_", "_/_": {
                // Only double arithmetic: both sides must be double-typed in CEL.
                if (!isDouble(ast, args.get(0)) || !isDouble(ast, args.get(1))) {
                    return null;
                }
                var a = number(ast, args.get(0), false);
                var b = number(ast, args.get(1), false);
                if (a == null || b == null) {
                    return null;
                }
                return switch (call.function()) {
                    case "_+_" -> x -> a.applyAsDouble(x) + b.applyAsDouble(x);
                    case "_-_" -> x -> a.applyAsDouble(x) - b.applyAsDouble(x);
                    case "_*_" -> x -> a.applyAsDouble(x) * b.applyAsDouble(x);
                    default -> x -> a.applyAsDouble(x) / b.applyAsDouble(x);
                };
            }
            default:
                return null;
        }
    }

    private static boolean isDouble(CelAbstractSyntaxTree ast, CelExpr e) {
        return ast.getType(e.id()).map(t -> t.kind() == dev.cel.common.types.CelKind.DOUBLE).orElse(false);
    }

    private static <T> Predicate<T> bool(CelAbstractSyntaxTree ast, CelExpr e, Scope<T> scope) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
            boolean v = e.constant().booleanValue();
            return x -> v;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
            return scope == EVENT ? (Predicate<T>) quantifier(ast, e) : null;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            Field<T> f = field(e, scope);
            if (f == null || f.kind() != Kind.BOOL) {
                return null;
            }
            return x -> (Boolean) f.read().apply(x);
        }
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return null;
        }
        var call = e.call();
        List<CelExpr> args = call.args();
        switch (call.function()) {
            case "_&&_": {
                Predicate<T> a = bool(ast, args.get(0), scope);
                Predicate<T> b = bool(ast, args.get(1), scope);
                return a == null || b == null ? null : a.and(b);
            }
            case "_||_": {
                Predicate<T> a = bool(ast, args.get(0), scope);
                Predicate<T> b = bool(ast, args.get(1), scope);
                return a == null || b == null ? null : a.or(b);
            }
            case "!_": {
                Predicate<T> a = bool(ast, args.get(0), scope);
                return a == null ? null : a.negate();
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_":
                return comparison(ast, call.function(), args.get(0), args.get(1), scope);
            case "@in": {
                Field<T> f = field(args.get(0), scope);
                if (f == null || args.get(1).getKind() != CelExpr.ExprKind.Kind.LIST) {
                    return null;
                }
                List<Object> values = new ArrayList<>();
                for (CelExpr item : args.get(1).list().elements()) {
                    Object v = literal(ast, item);
                    if (v == null) {
                        return null;
                    }
                    values.add(v);
                }
                if (f.kind() == Kind.STRING && values.stream().allMatch(v -> v instanceof String)) {
                    Set<Object> set = new HashSet<>(values);
                    return x -> set.contains(f.read().apply(x));
                }
                if (f.kind() == Kind.NUMBER && values.stream().allMatch(FastPredicate::isNumber)) {
                    return x -> {
                        Object v = f.read().apply(x);
                        for (Object w : values) {
                            if (compareNumbers(v, w) == 0) {
                                return true;
                            }
                        }
                        return false;
                    };
                }
                return null;
            }
            case "contains", "startsWith", "endsWith": {
                if (call.target().isEmpty() || args.size() != 1) {
                    return null;
                }
                Field<T> f = field(call.target().get(), scope);
                Object lit = literal(ast, args.get(0));
                if (f == null || f.kind() != Kind.STRING || !(lit instanceof String s)) {
                    return null;
                }
                Function<T, Object> read = f.read();
                return switch (call.function()) {
                    case "contains" -> x -> ((String) read.apply(x)).contains(s);
                    case "startsWith" -> x -> ((String) read.apply(x)).startsWith(s);
                    default -> x -> ((String) read.apply(x)).endsWith(s);
                };
            }
            default:
                return null;
        }
    }

    private static <T> Predicate<T> comparison(CelAbstractSyntaxTree ast, String op, CelExpr left, CelExpr right,
                                               Scope<T> scope) {
        Field<T> f = field(left, scope);
        Object lit = literal(ast, right);
        boolean flipped = false;
        if (f == null || lit == null) {
            f = field(right, scope);
            lit = literal(ast, left);
            flipped = true;
        }
        if (f == null || lit == null) {
            return null;
        }
        String effective = flipped ? flip(op) : op;
        Function<T, Object> read = f.read();
        Object value = lit;
        switch (f.kind()) {
            case NUMBER -> {
                if (!isNumber(value)) {
                    return null;
                }
                return x -> holds(effective, compareNumbers(read.apply(x), value));
            }
            case STRING -> {
                if (!(value instanceof String) || !(effective.equals("_==_") || effective.equals("_!=_"))) {
                    return null; // string ordering: CEL's code-point order, left to CEL
                }
                return effective.equals("_==_") ? x -> value.equals(read.apply(x)) : x -> !value.equals(read.apply(x));
            }
            default -> {
                if (!(value instanceof Boolean) || !(effective.equals("_==_") || effective.equals("_!=_"))) {
                    return null;
                }
                return effective.equals("_==_") ? x -> value.equals(read.apply(x)) : x -> !value.equals(read.apply(x));
            }
        }
    }

    private static String flip(String op) {
        return switch (op) {
            case "_<_" -> "_>_";
            case "_<=_" -> "_>=_";
            case "_>_" -> "_<_";
            case "_>=_" -> "_<=_";
            default -> op;
        };
    }

    private static boolean holds(String op, int c) {
        return switch (op) {
            case "_==_" -> c == 0;
            case "_!=_" -> c != 0;
            case "_<_" -> c < 0;
            case "_<=_" -> c <= 0;
            case "_>_" -> c > 0;
            default -> c >= 0;
        };
    }

    private static boolean isNumber(Object o) {
        return o instanceof Long || o instanceof UnsignedLong || o instanceof Double;
    }

    /** CEL's heterogeneous numeric order across int (Long), uint (UnsignedLong) and double. */
    static int compareNumbers(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            return Double.compare(toDouble(a), toDouble(b));
        }
        boolean aU = a instanceof UnsignedLong;
        boolean bU = b instanceof UnsignedLong;
        long x = aU ? ((UnsignedLong) a).longValue() : (Long) a;
        long y = bU ? ((UnsignedLong) b).longValue() : (Long) b;
        if (aU && bU) {
            return Long.compareUnsigned(x, y);
        }
        if (aU && x < 0) {
            return 1;  // a >= 2^63 > any signed y
        }
        if (bU && y < 0) {
            return -1;
        }
        return Long.compare(x, y);
    }

    private static double toDouble(Object o) {
        if (o instanceof UnsignedLong u) {
            return u.doubleValue();
        }
        return ((Number) o).doubleValue();
    }

    /** A literal (or a checker-resolved enum constant) as Long, UnsignedLong, Double, String or Boolean. */
    private static Object literal(CelAbstractSyntaxTree ast, CelExpr e) {
        Optional<CelConstant> c = e.getKind() == CelExpr.ExprKind.Kind.CONSTANT ? Optional.of(e.constant())
                : ast.getReference(e.id()).flatMap(CelReference::value);
        if (c.isEmpty()) {
            return null;
        }
        CelConstant k = c.get();
        return switch (k.getKind()) {
            case INT64_VALUE -> k.int64Value();
            case UINT64_VALUE -> k.uint64Value();
            case DOUBLE_VALUE -> k.doubleValue();
            case STRING_VALUE -> k.stringValue();
            case BOOLEAN_VALUE -> k.booleanValue();
            default -> null;
        };
    }

    /** A select chain from an identifier of {@code scope} down to a singular scalar field, or null. */
    private static <T> Field<T> field(CelExpr e, Scope<T> scope) {
        List<String> path = new ArrayList<>();
        CelExpr cur = e;
        while (cur.getKind() == CelExpr.ExprKind.Kind.SELECT && !cur.select().testOnly()) {
            path.add(0, cur.select().field());
            cur = cur.select().operand();
        }
        if (cur.getKind() != CelExpr.ExprKind.Kind.IDENT || path.isEmpty()) {
            return null;
        }
        return scope.field(cur.ident().name(), path);
    }

    /** The rule variables: the event and its bodies. */
    private static final Scope<TelemetryEvent> EVENT = (root, path) -> {
        if (!ROOTS.containsKey(root)) {
            return null;
        }
        List<FieldDescriptor> chain = chain(ROOTS.get(root), path, false);
        if (chain == null) {
            return null;
        }
        FieldDescriptor last = chain.get(chain.size() - 1);
        Kind kind = kind(last);
        if (kind == null) {
            return null;
        }
        Function<TelemetryEvent, Object> hot = HOT.get(root + "." + String.join(".", path));
        if (hot != null) {
            return new Field<>(hot, kind);
        }
        Function<TelemetryEvent, Message> base = body(root);
        Function<Message, Object> read = reader(chain);
        return new Field<>(x -> read.apply(base.apply(x)), kind);
    };

    private static Function<TelemetryEvent, Message> body(String root) {
        return switch (root) {
            case "syslog" -> TelemetryEvent::getSyslog;
            case "trap" -> TelemetryEvent::getTrap;
            case "flow" -> TelemetryEvent::getFlow;
            default -> x -> x;
        };
    }

    /**
     * The fields along {@code path} from {@code d}: singular messages, then a singular scalar
     * (or, with {@code repeatedMessageLast}, a repeated message field); null otherwise.
     */
    private static List<FieldDescriptor> chain(Descriptor d, List<String> path, boolean repeatedMessageLast) {
        List<FieldDescriptor> chain = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            FieldDescriptor fd = d.findFieldByName(path.get(i));
            boolean last = i == path.size() - 1;
            if (fd == null || fd.isMapField()) {
                return null;
            }
            if (last && repeatedMessageLast) {
                if (!fd.isRepeated() || fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    return null;
                }
            } else if (fd.isRepeated()) {
                return null;
            }
            chain.add(fd);
            if (!last) {
                if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    return null;
                }
                d = fd.getMessageType();
            }
        }
        return chain;
    }

    private static Kind kind(FieldDescriptor last) {
        return switch (last.getJavaType()) {
            case INT, LONG, ENUM, FLOAT, DOUBLE -> Kind.NUMBER;
            case STRING -> Kind.STRING;
            case BOOLEAN -> Kind.BOOL;
            default -> null; // bytes, messages
        };
    }

    /** Reads a singular scalar at the end of {@code chain} from a message, in CEL's types. */
    private static Function<Message, Object> reader(List<FieldDescriptor> chain) {
        FieldDescriptor last = chain.get(chain.size() - 1);
        boolean unsigned = last.getType() == FieldDescriptor.Type.UINT64 || last.getType() == FieldDescriptor.Type.FIXED64
                || last.getType() == FieldDescriptor.Type.UINT32 || last.getType() == FieldDescriptor.Type.FIXED32;
        boolean uint64 = last.getType() == FieldDescriptor.Type.UINT64 || last.getType() == FieldDescriptor.Type.FIXED64;
        return start -> {
            Message m = start;
            for (int i = 0; i < chain.size() - 1; i++) {
                m = (Message) m.getField(chain.get(i));
            }
            Object v = m.getField(last);
            if (v instanceof EnumValueDescriptor ev) {
                return (long) ev.getNumber();
            }
            if (v instanceof Integer n) {
                return unsigned ? Integer.toUnsignedLong(n) : (long) n;
            }
            if (v instanceof Long n) {
                return uint64 ? UnsignedLong.fromLongBits(n) : n;
            }
            if (v instanceof Float f) {
                return (double) f;
            }
            return v;
        };
    }

    /** Direct getters for the list elements rules test most (trap varbinds). */
    private static final Map<String, Function<Message, Object>> HOT_ELEMENTS = Map.of(
            "nocturne.v1.VarBind.name", m -> ((VarBind) m).getName(),
            "nocturne.v1.VarBind.oid", m -> ((VarBind) m).getOid(),
            "nocturne.v1.VarBind.integer", m -> ((VarBind) m).getInteger());

    /** Inside a quantifier: the iteration variable, one element of a repeated message field. */
    private static Scope<Message> element(String var, Descriptor type) {
        return (root, path) -> {
            if (!root.equals(var)) {
                return null; // the rule variables inside the predicate: left to CEL
            }
            List<FieldDescriptor> chain = chain(type, path, false);
            if (chain == null) {
                return null;
            }
            Kind kind = kind(chain.get(chain.size() - 1));
            if (kind == null) {
                return null;
            }
            Function<Message, Object> hot = chain.size() == 1 ? HOT_ELEMENTS.get(type.getFullName() + "." + path.get(0)) : null;
            return new Field<>(hot != null ? hot : reader(chain), kind);
        };
    }

    /**
     * {@code list.exists(v, p)} and {@code list.all(v, p)} over a repeated message field of the
     * event, as CEL's macros expand them: a comprehension whose accumulator starts false (true)
     * and whose step is {@code accu || p} ({@code accu && p}). The predicate, translated over the
     * element, cannot fail, so CEL's error absorption does not arise.
     */
    private static Predicate<TelemetryEvent> quantifier(CelAbstractSyntaxTree ast, CelExpr e) {
        var c = e.comprehension();
        if (!c.iterVar2().isEmpty() || c.accuInit().getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || c.accuInit().constant().getKind() != CelConstant.Kind.BOOLEAN_VALUE
                || c.result().getKind() != CelExpr.ExprKind.Kind.IDENT || !c.result().ident().name().equals(c.accuVar())
                || c.loopStep().getKind() != CelExpr.ExprKind.Kind.CALL) {
            return null;
        }
        boolean exists = !c.accuInit().constant().booleanValue();
        var step = c.loopStep().call();
        if (!step.function().equals(exists ? "_||_" : "_&&_") || step.args().size() != 2
                || step.args().get(0).getKind() != CelExpr.ExprKind.Kind.IDENT
                || !step.args().get(0).ident().name().equals(c.accuVar())) {
            return null;
        }
        // The range: a select chain from a rule variable to a repeated message field.
        List<String> path = new ArrayList<>();
        CelExpr cur = c.iterRange();
        while (cur.getKind() == CelExpr.ExprKind.Kind.SELECT && !cur.select().testOnly()) {
            path.add(0, cur.select().field());
            cur = cur.select().operand();
        }
        if (cur.getKind() != CelExpr.ExprKind.Kind.IDENT || path.isEmpty() || !ROOTS.containsKey(cur.ident().name())) {
            return null;
        }
        String root = cur.ident().name();
        List<FieldDescriptor> chain = chain(ROOTS.get(root), path, true);
        if (chain == null) {
            return null;
        }
        FieldDescriptor list = chain.get(chain.size() - 1);
        Predicate<Message> each = bool(ast, step.args().get(1), element(c.iterVar(), list.getMessageType()));
        if (each == null) {
            return null;
        }
        Function<TelemetryEvent, Message> base = body(root);
        Function<TelemetryEvent, List<?>> items = "trap".equals(root) && path.equals(List.of("varbinds"))
                ? x -> x.getTrap().getVarbindsList()
                : x -> {
                    Message m = base.apply(x);
                    for (int i = 0; i < chain.size() - 1; i++) {
                        m = (Message) m.getField(chain.get(i));
                    }
                    return (List<?>) m.getField(list);
                };
        if (exists) {
            return x -> {
                for (Object item : items.apply(x)) {
                    if (each.test((Message) item)) {
                        return true;
                    }
                }
                return false;
            };
        }
        return x -> {
            for (Object item : items.apply(x)) {
                if (!each.test((Message) item)) {
                    return false;
                }
            }
            return true;
        };
    }
}
