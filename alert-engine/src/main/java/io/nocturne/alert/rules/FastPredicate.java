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
 * CEL tree of such an expression is translated once; anything else (comprehensions,
 * functions, map and list fields, presence tests) stays with the CEL interpreter. Field
 * semantics are CEL's over proto3: an unset field reads as its default, the body of another
 * kind reads as an empty message, numbers compare across int, uint and double.
 */
final class FastPredicate {

    /** A scalar read from the event: Long (signed), UnsignedLong, Double, String or Boolean. */
    private record Field(Function<TelemetryEvent, Object> read, Kind kind) {
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
            return Optional.ofNullable(bool(ast, ast.getExpr()));
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
            Field f = field(e);
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
                Field f = field(args.get(0));
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

    private static Predicate<TelemetryEvent> bool(CelAbstractSyntaxTree ast, CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
            boolean v = e.constant().booleanValue();
            return x -> v;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            Field f = field(e);
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
                Predicate<TelemetryEvent> a = bool(ast, args.get(0));
                Predicate<TelemetryEvent> b = bool(ast, args.get(1));
                return a == null || b == null ? null : a.and(b);
            }
            case "_||_": {
                Predicate<TelemetryEvent> a = bool(ast, args.get(0));
                Predicate<TelemetryEvent> b = bool(ast, args.get(1));
                return a == null || b == null ? null : a.or(b);
            }
            case "!_": {
                Predicate<TelemetryEvent> a = bool(ast, args.get(0));
                return a == null ? null : a.negate();
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_":
                return comparison(ast, call.function(), args.get(0), args.get(1));
            case "@in": {
                Field f = field(args.get(0));
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
                Field f = field(call.target().get());
                Object lit = literal(ast, args.get(0));
                if (f == null || f.kind() != Kind.STRING || !(lit instanceof String s)) {
                    return null;
                }
                Function<TelemetryEvent, Object> read = f.read();
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

    private static Predicate<TelemetryEvent> comparison(CelAbstractSyntaxTree ast, String op, CelExpr left, CelExpr right) {
        Field f = field(left);
        Object lit = literal(ast, right);
        boolean flipped = false;
        if (f == null || lit == null) {
            f = field(right);
            lit = literal(ast, left);
            flipped = true;
        }
        if (f == null || lit == null) {
            return null;
        }
        String effective = flipped ? flip(op) : op;
        Function<TelemetryEvent, Object> read = f.read();
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

    /** A select chain from a rule variable down to a singular scalar field, or null. */
    private static Field field(CelExpr e) {
        List<String> path = new ArrayList<>();
        CelExpr cur = e;
        while (cur.getKind() == CelExpr.ExprKind.Kind.SELECT && !cur.select().testOnly()) {
            path.add(0, cur.select().field());
            cur = cur.select().operand();
        }
        if (cur.getKind() != CelExpr.ExprKind.Kind.IDENT || path.isEmpty() || !ROOTS.containsKey(cur.ident().name())) {
            return null;
        }
        String root = cur.ident().name();
        Descriptor d = ROOTS.get(root);
        List<FieldDescriptor> chain = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            FieldDescriptor fd = d.findFieldByName(path.get(i));
            if (fd == null || fd.isRepeated() || fd.isMapField()) {
                return null;
            }
            chain.add(fd);
            if (i < path.size() - 1) {
                if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    return null;
                }
                d = fd.getMessageType();
            }
        }
        FieldDescriptor last = chain.get(chain.size() - 1);
        Kind kind;
        switch (last.getJavaType()) {
            case INT, LONG, ENUM, FLOAT, DOUBLE -> kind = Kind.NUMBER;
            case STRING -> kind = Kind.STRING;
            case BOOLEAN -> kind = Kind.BOOL;
            default -> {
                return null; // bytes, messages
            }
        }
        String key = root + "." + String.join(".", path);
        Function<TelemetryEvent, Object> hot = HOT.get(key);
        if (hot != null) {
            return new Field(hot, kind);
        }
        Function<TelemetryEvent, Message> base = switch (root) {
            case "syslog" -> TelemetryEvent::getSyslog;
            case "trap" -> TelemetryEvent::getTrap;
            case "flow" -> TelemetryEvent::getFlow;
            default -> x -> x;
        };
        boolean unsigned = last.getType() == FieldDescriptor.Type.UINT64 || last.getType() == FieldDescriptor.Type.FIXED64
                || last.getType() == FieldDescriptor.Type.UINT32 || last.getType() == FieldDescriptor.Type.FIXED32;
        boolean uint64 = last.getType() == FieldDescriptor.Type.UINT64 || last.getType() == FieldDescriptor.Type.FIXED64;
        return new Field(x -> {
            Message m = base.apply(x);
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
        }, kind);
    }
}
