package io.nocturne.ingest.snmp.mib;

import io.nocturne.ingest.snmp.mib.MibModule.Kind;
import io.nocturne.ingest.snmp.mib.MibModule.MibDefinition;
import io.nocturne.ingest.snmp.mib.MibModule.MibSyntax;
import io.nocturne.ingest.snmp.mib.MibModule.MibType;
import io.nocturne.ingest.snmp.mib.MibModule.OidComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for SMIv1 (RFC 1155, 1212, 1215) and SMIv2 (RFC 2578, 2579,
 * 2580) MIB modules. It keeps what naming needs (OIDs, syntaxes with their named numbers,
 * notification objects, traps) and parses, then drops, the rest (descriptions, ranges,
 * conformance statements, MACRO bodies). A file may hold several modules. A syntax error
 * becomes a {@link MibProblem} with the file and line; the definitions before it are kept.
 */
final class MibParser {

    /** What parsing one file gave: its modules and what was wrong with it. */
    record ParsedFile(List<MibModule> modules, List<MibProblem> problems) {
    }

    private static final Map<String, Kind> MACRO_KINDS = Map.of(
            "MODULE-IDENTITY", Kind.MODULE_IDENTITY,
            "OBJECT-IDENTITY", Kind.OBJECT_IDENTITY,
            "OBJECT-TYPE", Kind.OBJECT_TYPE,
            "NOTIFICATION-TYPE", Kind.NOTIFICATION_TYPE,
            "TRAP-TYPE", Kind.TRAP_TYPE,
            "OBJECT-GROUP", Kind.GROUP,
            "NOTIFICATION-GROUP", Kind.GROUP,
            "MODULE-COMPLIANCE", Kind.COMPLIANCE,
            "AGENT-CAPABILITIES", Kind.CAPABILITIES);

    /** Guards the recursion of nested types against hostile input. */
    private static final int MAX_TYPE_DEPTH = 32;

    private final String source;
    private final List<MibToken> tokens;
    private int pos;

    private MibParser(String source, List<MibToken> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    /** Parses one file; never throws on bad input. */
    static ParsedFile parse(String source, String text) {
        MibParser parser = new MibParser(source, MibLexer.tokenize(text));
        List<MibModule> modules = new ArrayList<>();
        List<MibProblem> problems = new ArrayList<>();
        if (parser.peek().kind() == MibToken.Kind.END_OF_INPUT) {
            problems.add(new MibProblem(source, 0, "no MIB module in the file"));
        }
        while (parser.peek().kind() != MibToken.Kind.END_OF_INPUT) {
            ModuleBuilder module = new ModuleBuilder();
            try {
                parser.module(module);
                modules.add(module.build(source, true));
            } catch (MibSyntaxException e) {
                problems.add(new MibProblem(source, e.line(), e.getMessage()));
                if (module.name != null) {
                    modules.add(module.build(source, false));
                }
                break;
            } catch (RuntimeException e) {
                // a bug, not bad input: still report it against the file rather than fail the load
                problems.add(new MibProblem(source, parser.peek().line(), "parser failure: " + e));
                break;
            }
        }
        return new ParsedFile(modules, problems);
    }

    private static final class ModuleBuilder {
        String name;
        int line;
        boolean smiV2;
        final Map<String, String> imports = new LinkedHashMap<>();
        final Map<String, MibDefinition> values = new LinkedHashMap<>();
        final Map<String, MibType> types = new LinkedHashMap<>();
        final Set<String> macros = new HashSet<>();

        MibModule build(String source, boolean complete) {
            boolean v2 = smiV2 || imports.containsValue("SNMPv2-SMI") || "SNMPv2-SMI".equals(name);
            return new MibModule(name, source, line, v2, Map.copyOf(imports),
                    java.util.Collections.unmodifiableMap(values), Map.copyOf(types), Set.copyOf(macros), complete);
        }
    }

    // ModuleDefinition: Name [OID] DEFINITIONS [tagging] ::= BEGIN [EXPORTS] [IMPORTS] body END
    private void module(ModuleBuilder m) throws MibSyntaxException {
        MibToken name = word("a module name");
        m.line = name.line();
        if (peek().is("{")) {
            skipBalanced("{", "}");
        }
        expect("DEFINITIONS");
        m.name = name.text();
        while (peek().kind() == MibToken.Kind.WORD && !peek().is("BEGIN")) {
            next(); // IMPLICIT TAGS and the like
        }
        expect("::=");
        expect("BEGIN");
        if (peek().is("EXPORTS")) {
            while (!next().is(";")) {
                if (peek().kind() == MibToken.Kind.END_OF_INPUT) {
                    throw error(peek(), "EXPORTS is not closed by ';'");
                }
            }
        }
        if (peek().is("IMPORTS")) {
            imports(m);
        }
        while (!peek().is("END")) {
            if (peek().kind() == MibToken.Kind.END_OF_INPUT) {
                throw error(peek(), "module " + m.name + " is not closed by END");
            }
            assignment(m);
        }
        next();
    }

    private void imports(ModuleBuilder m) throws MibSyntaxException {
        next();
        List<String> pending = new ArrayList<>();
        while (!peek().is(";")) {
            MibToken t = next();
            if (t.is("FROM")) {
                if (pending.isEmpty()) {
                    throw error(t, "FROM without imported symbols");
                }
                String from = word("a module name after FROM").text();
                for (String symbol : pending) {
                    m.imports.putIfAbsent(symbol, from);
                }
                pending.clear();
                if (peek().is("{")) {
                    skipBalanced("{", "}"); // ASN.1 allows the module's OID after its name
                }
            } else if (t.is(",")) {
                continue;
            } else if (t.kind() == MibToken.Kind.WORD) {
                pending.add(t.text());
            } else {
                throw error(t, t.kind() == MibToken.Kind.END_OF_INPUT
                        ? "IMPORTS is not closed by ';'" : "unexpected " + t + " in IMPORTS");
            }
        }
        if (!pending.isEmpty()) {
            throw error(peek(), "symbols " + pending + " are imported from no module (missing FROM)");
        }
        next();
    }

    private void assignment(ModuleBuilder m) throws MibSyntaxException {
        MibToken name = word("a definition");
        if (peek().is("MACRO")) {
            // RFC 2578 §3: MACRO definitions are for SNMPv2-SMI, -TC and -CONF; their bodies
            // describe notation only and are skipped
            next();
            expect("::=");
            expect("BEGIN");
            while (!next().is("END")) {
                if (peek().kind() == MibToken.Kind.END_OF_INPUT) {
                    throw error(name, "MACRO " + name.text() + " is not closed by END");
                }
            }
            m.macros.add(name.text());
            return;
        }
        if (peek().is("::=")) {
            next();
            MibSyntax syntax;
            if (peek().is("TEXTUAL-CONVENTION")) {
                next();
                syntax = textualConvention(name);
            } else {
                syntax = type(0);
            }
            m.types.put(name.text(), new MibType(name.text(), syntax, name.line()));
            return;
        }
        MibToken keyword = peek();
        MibDefinition definition;
        Kind kind = keyword.kind() == MibToken.Kind.WORD ? MACRO_KINDS.get(keyword.text()) : null;
        if (keyword.is("OBJECT") && peek(1).is("IDENTIFIER")) {
            next();
            next();
            expect("::=");
            definition = new MibDefinition(name.text(), Kind.OBJECT_IDENTIFIER, name.line(), oidValue(), null,
                    List.of(), null, 0);
        } else if (kind != null) {
            next();
            definition = macroValue(name, kind);
            if (kind == Kind.MODULE_IDENTITY) {
                m.smiV2 = true;
            }
        } else if (Character.isLowerCase(name.text().charAt(0))) {
            // any other value assignment ("foo INTEGER ::= 3"): parsed, kept only if it is an OID
            type(0);
            expect("::=");
            if (peek().is("{")) {
                definition = new MibDefinition(name.text(), Kind.OTHER_VALUE, name.line(), oidValue(), null,
                        List.of(), null, 0);
            } else {
                next();
                return;
            }
        } else {
            throw error(keyword, "expected ::=, MACRO or a value type after " + name.text() + ", found " + keyword);
        }
        if (m.values.putIfAbsent(name.text(), definition) != null) {
            throw error(name, name.text() + " is defined twice in " + m.name);
        }
    }

    private MibSyntax textualConvention(MibToken name) throws MibSyntaxException {
        // RFC 2579 §2: DISPLAY-HINT, STATUS, DESCRIPTION, REFERENCE, then SYNTAX last
        while (!peek().is("SYNTAX")) {
            MibToken t = next();
            if (t.kind() == MibToken.Kind.END_OF_INPUT || t.is("::=")) {
                throw error(t, "TEXTUAL-CONVENTION " + name.text() + " has no SYNTAX");
            }
        }
        next();
        return type(0);
    }

    private MibDefinition macroValue(MibToken name, Kind kind) throws MibSyntaxException {
        MibSyntax syntax = null;
        List<String> objects = List.of();
        String enterprise = null;
        while (!peek().is("::=")) {
            MibToken t = next();
            if (t.kind() == MibToken.Kind.END_OF_INPUT) {
                throw error(name, name.text() + " is not closed by ::=");
            }
            if (t.kind() == MibToken.Kind.WORD && Character.isLowerCase(t.text().charAt(0)) && startsDefinition()) {
                throw error(t, "expected ::= to end " + name.text() + " before the definition of " + t.text());
            }
            if (t.is("SYNTAX") && syntax == null && kind == Kind.OBJECT_TYPE) {
                syntax = type(0);
            } else if ((t.is("OBJECTS") || t.is("VARIABLES")) && peek().is("{")) {
                objects = nameList();
            } else if (t.is("ENTERPRISE") && kind == Kind.TRAP_TYPE) {
                enterprise = word("the enterprise of " + name.text()).text();
            } else if (t.is("{")) {
                pos--;
                skipBalanced("{", "}");
            } else if (t.is("(")) {
                pos--;
                skipBalanced("(", ")");
            } else if (t.is("}") || t.is(")")) {
                throw error(t, "unbalanced " + t + " in " + name.text());
            }
        }
        next();
        if (kind == Kind.TRAP_TYPE) {
            if (enterprise == null) {
                throw error(name, "TRAP-TYPE " + name.text() + " has no ENTERPRISE");
            }
            long number = number(next(), "the specific-trap number of " + name.text());
            return new MibDefinition(name.text(), kind, name.line(), List.of(), null, objects, enterprise, number);
        }
        if (kind == Kind.OBJECT_TYPE && syntax == null) {
            throw error(name, "OBJECT-TYPE " + name.text() + " has no SYNTAX");
        }
        return new MibDefinition(name.text(), kind, name.line(), oidValue(), syntax, objects, null, 0);
    }

    /** Whether the next tokens begin a new value definition (a missing ::= above it). */
    private boolean startsDefinition() {
        MibToken t = peek();
        return (t.kind() == MibToken.Kind.WORD && MACRO_KINDS.containsKey(t.text()) && !t.is("OBJECT-TYPE")
                && !t.is("NOTIFICATION-TYPE"))
                || (t.is("OBJECT") && peek(1).is("IDENTIFIER") && peek(2).is("::="))
                || (t.is("OBJECT-TYPE") && peek(1).is("SYNTAX"))
                || (t.is("NOTIFICATION-TYPE") && (peek(1).is("OBJECTS") || peek(1).is("STATUS")));
    }

    private List<String> nameList() throws MibSyntaxException {
        expect("{");
        List<String> names = new ArrayList<>();
        while (!peek().is("}")) {
            MibToken t = next();
            if (t.kind() == MibToken.Kind.WORD) {
                names.add(t.text());
            } else if (!t.is(",")) {
                throw error(t, "expected a name in the list, found " + t);
            }
        }
        next();
        return List.copyOf(names);
    }

    // Type: [tag] [IMPLICIT] builtin-or-reference [named numbers] [constraints]
    private MibSyntax type(int depth) throws MibSyntaxException {
        if (depth > MAX_TYPE_DEPTH) {
            throw error(peek(), "types nested too deeply");
        }
        if (peek().is("[")) {
            skipBalanced("[", "]");
            if (peek().is("IMPLICIT") || peek().is("EXPLICIT")) {
                next();
            }
        }
        MibToken t = next();
        String base;
        Map<Long, String> named = Map.of();
        boolean bits = false;
        if (t.is("INTEGER")) {
            base = "INTEGER";
        } else if (t.is("OCTET") || t.is("BIT")) {
            expect("STRING");
            base = t.text() + " STRING";
            bits = t.is("BIT");
        } else if (t.is("OBJECT")) {
            expect("IDENTIFIER");
            base = "OBJECT IDENTIFIER";
        } else if (t.is("BITS")) {
            base = "BITS";
            bits = true;
        } else if (t.is("SEQUENCE") && peek().is("OF")) {
            next();
            type(depth + 1);
            return new MibSyntax("SEQUENCE OF", Map.of(), false);
        } else if (t.is("SEQUENCE") || t.is("CHOICE")) {
            skipBalanced("{", "}");
            return new MibSyntax(t.text(), Map.of(), false);
        } else if (t.is("NULL")) {
            return new MibSyntax("NULL", Map.of(), false);
        } else if (t.kind() == MibToken.Kind.WORD && Character.isUpperCase(t.text().charAt(0))) {
            base = t.text();
            if (peek().is(".") && peek(1).kind() == MibToken.Kind.WORD) {
                next();
                base = next().text(); // Module.Type: the module is implied by IMPORTS anyway
            }
        } else {
            throw error(t, "expected a type, found " + t);
        }
        if (peek().is("{")) {
            named = namedNumbers();
        }
        while (peek().is("(")) {
            skipBalanced("(", ")"); // ranges and sizes: not needed for naming
        }
        return new MibSyntax(base, named, bits);
    }

    // { up(1), down(2), ... }
    private Map<Long, String> namedNumbers() throws MibSyntaxException {
        expect("{");
        Map<Long, String> named = new LinkedHashMap<>();
        while (!peek().is("}")) {
            MibToken label = word("a label in the enumeration");
            expect("(");
            long n = number(next(), "the number of " + label.text());
            expect(")");
            named.putIfAbsent(n, label.text());
            if (peek().is(",")) {
                next();
            } else if (!peek().is("}")) {
                throw error(peek(), "expected ',' or '}' in the enumeration, found " + peek());
            }
        }
        next();
        return java.util.Collections.unmodifiableMap(named);
    }

    // { parent 7 } | { iso org(3) dod(6) 1 } | { 0 0 }
    private List<OidComponent> oidValue() throws MibSyntaxException {
        MibToken open = expect("{");
        List<OidComponent> arcs = new ArrayList<>();
        while (!peek().is("}")) {
            MibToken t = next();
            if (t.kind() == MibToken.Kind.NUMBER) {
                arcs.add(new OidComponent(null, arc(t)));
            } else if (t.kind() == MibToken.Kind.WORD) {
                if (peek().is("(")) {
                    next();
                    long n = arc(next());
                    expect(")");
                    arcs.add(new OidComponent(t.text(), n));
                } else if (arcs.isEmpty()) {
                    arcs.add(new OidComponent(t.text(), OidComponent.NONE));
                } else {
                    // only the first arc may be a bare name (RFC 2578 §7.10); a name here is
                    // most often the next definition after a missing '}'
                    throw error(t, "expected a number or '}' in the OID value, found " + t);
                }
            } else {
                throw error(t, "expected a name or number in the OID value, found " + t);
            }
        }
        next();
        if (arcs.isEmpty()) {
            throw error(open, "empty OID value");
        }
        return List.copyOf(arcs);
    }

    private long arc(MibToken t) throws MibSyntaxException {
        long n = number(t, "an OID arc");
        if (n < 0 || n > 0xFFFF_FFFFL) {
            throw error(t, "OID arc " + t.text() + " is outside 0..4294967295");
        }
        return n;
    }

    private long number(MibToken t, String what) throws MibSyntaxException {
        if (t.kind() != MibToken.Kind.NUMBER) {
            throw error(t, "expected " + what + ", found " + t);
        }
        try {
            return Long.parseLong(t.text());
        } catch (NumberFormatException e) {
            throw error(t, "number " + t.text() + " is too large");
        }
    }

    private void skipBalanced(String open, String close) throws MibSyntaxException {
        MibToken first = expect(open);
        int depth = 1;
        while (depth > 0) {
            MibToken t = next();
            if (t.kind() == MibToken.Kind.END_OF_INPUT) {
                throw error(first, "'" + open + "' is never closed by '" + close + "'");
            }
            if (t.is(open)) {
                depth++;
            } else if (t.is(close)) {
                depth--;
            }
        }
    }

    private MibToken word(String what) throws MibSyntaxException {
        MibToken t = next();
        if (t.kind() != MibToken.Kind.WORD) {
            throw error(t, "expected " + what + ", found " + t);
        }
        return t;
    }

    private MibToken expect(String text) throws MibSyntaxException {
        MibToken t = next();
        if (!t.is(text)) {
            throw error(t, "expected '" + text + "', found " + t);
        }
        return t;
    }

    private MibToken peek() {
        return tokens.get(pos);
    }

    private MibToken peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private MibToken next() {
        MibToken t = tokens.get(pos);
        if (pos < tokens.size() - 1) {
            pos++;
        }
        return t;
    }

    private static MibSyntaxException error(MibToken at, String reason) {
        return new MibSyntaxException(at.line(), reason);
    }
}
