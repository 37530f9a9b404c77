package io.nocturne.ingest.snmp.mib;

import io.nocturne.ingest.snmp.mib.MibModule.Kind;
import io.nocturne.ingest.snmp.mib.MibModule.MibDefinition;
import io.nocturne.ingest.snmp.mib.MibModule.MibSyntax;
import io.nocturne.ingest.snmp.mib.MibModule.MibType;
import io.nocturne.ingest.snmp.mib.MibModule.OidComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves parsed modules against each other, in any load order: IMPORTS, OID values
 * (through their parents, across modules), TRAP-TYPE placement (RFC 3584 §3.1.2:
 * enterprise.0.specific-trap) and enumerations inherited through named types and textual
 * conventions. What does not resolve is reported and left out; the rest of the module stays.
 */
final class MibLinker {

    /** A resolved, named OID. */
    record Entry(long[] oid, String module, String name, Kind kind, boolean smiV2, boolean shipped,
                 Map<Long, String> enumeration) {
    }

    /** Well-known roots of the OID tree (X.660), usable without an import. */
    private static final Map<String, long[]> ROOTS = Map.of(
            "ccitt", new long[] {0}, "itu-t", new long[] {0},
            "iso", new long[] {1},
            "joint-iso-ccitt", new long[] {2}, "joint-iso-itu-t", new long[] {2});

    private static final int MAX_DEPTH = 64;
    private static final long[] UNRESOLVED = new long[0];

    private final Map<String, MibModule> modules;
    private final Map<String, Boolean> shippedModules;
    private final List<MibProblem> problems;
    private final Map<String, long[]> resolved = new HashMap<>();
    private final Set<String> reported = new HashSet<>();

    private MibLinker(Map<String, MibModule> modules, Map<String, Boolean> shippedModules, List<MibProblem> problems) {
        this.modules = modules;
        this.shippedModules = shippedModules;
        this.problems = problems;
    }

    /**
     * Links {@code modules} (by name; later ones have already replaced earlier ones) and
     * returns every named OID, adding what does not resolve to {@code problems}.
     */
    static List<Entry> link(Map<String, MibModule> modules, Map<String, Boolean> shippedModules,
                            List<MibProblem> problems) {
        return new MibLinker(modules, shippedModules, problems).link();
    }

    private List<Entry> link() {
        List<Entry> entries = new ArrayList<>();
        for (MibModule module : modules.values()) {
            checkImports(module);
            boolean shipped = shippedModules.getOrDefault(module.name(), false);
            for (MibDefinition def : module.values().values()) {
                long[] oid = def.kind() == Kind.TRAP_TYPE ? trapOid(module, def) : resolve(module, def.name(), 0);
                if (oid == UNRESOLVED || oid == null) {
                    continue;
                }
                Map<Long, String> enumeration = def.syntax() == null ? Map.of() : enumeration(module, def.syntax(), 0);
                entries.add(new Entry(oid, module.name(), def.name(), def.kind(), module.smiV2(), shipped,
                        enumeration));
            }
        }
        return entries;
    }

    private void checkImports(MibModule module) {
        Map<String, List<String>> missingBySource = new LinkedHashMap<>();
        for (Map.Entry<String, String> imp : module.imports().entrySet()) {
            MibModule from = modules.get(imp.getValue());
            if (from == null) {
                missingBySource.computeIfAbsent(imp.getValue(), k -> new ArrayList<>());
            } else if (!from.defines(imp.getKey()) && !from.imports().containsKey(imp.getKey())) {
                missingBySource.computeIfAbsent(imp.getValue(), k -> new ArrayList<>()).add(imp.getKey());
            }
        }
        missingBySource.forEach((from, symbols) -> problems.add(new MibProblem(module.source(), module.line(),
                symbols.isEmpty()
                        ? module.name() + " imports from " + from + ", which is not loaded"
                        : module.name() + " imports " + String.join(", ", symbols) + " from " + from
                                + ", which does not define them")));
    }

    /** The OID of {@code name} as seen from {@code module}, or null/UNRESOLVED. */
    private long[] resolve(MibModule module, String name, int depth) {
        String key = module.name() + "::" + name;
        long[] known = resolved.get(key);
        if (known != null) {
            return known;
        }
        if (depth > MAX_DEPTH) {
            report(module, 0, key, "the OID of " + name + " refers to itself through its parents");
            return UNRESOLVED;
        }
        resolved.put(key, UNRESOLVED); // breaks cycles
        long[] oid = resolveUncached(module, name, depth);
        resolved.put(key, oid == null ? UNRESOLVED : oid);
        return oid == null ? UNRESOLVED : oid;
    }

    private long[] resolveUncached(MibModule module, String name, int depth) {
        MibDefinition def = module.values().get(name);
        if (def == null) {
            String from = module.imports().get(name);
            MibModule other = from == null ? null : modules.get(from);
            if (other != null && other != module) {
                long[] oid = resolve(other, name, depth + 1);
                return oid == UNRESOLVED ? null : oid;
            }
            return ROOTS.get(name);
        }
        if (def.kind() == Kind.TRAP_TYPE) {
            return null; // a trap is not a parent of anything
        }
        List<OidComponent> arcs = def.oid();
        OidComponent first = arcs.get(0);
        long[] prefix;
        if (first.hasNumber()) {
            prefix = new long[] {first.number()};
        } else {
            prefix = resolve(module, first.name(), depth + 1);
            if (prefix == UNRESOLVED) {
                reportUnplaced(module, def, first.name());
                return null;
            }
        }
        long[] oid = Arrays.copyOf(prefix, prefix.length + arcs.size() - 1);
        for (int i = 1; i < arcs.size(); i++) {
            OidComponent arc = arcs.get(i);
            if (!arc.hasNumber()) {
                report(module, def.line(), module.name() + "::" + name,
                        "cannot place " + name + ": arc " + arc.name() + " has no number");
                return null;
            }
            oid[prefix.length + i - 1] = arc.number();
        }
        return oid;
    }

    // RFC 3584 §3.1.2: the v2 snmpTrapOID of an enterprise-specific v1 trap is
    // enterprise.0.specific-trap
    private long[] trapOid(MibModule module, MibDefinition def) {
        long[] enterprise = resolve(module, def.enterprise(), 0);
        if (enterprise == UNRESOLVED) {
            reportUnplaced(module, def, def.enterprise());
            return null;
        }
        long[] oid = Arrays.copyOf(enterprise, enterprise.length + 2);
        oid[enterprise.length] = 0;
        oid[enterprise.length + 1] = def.trapNumber();
        return oid;
    }

    /** The named numbers of a syntax, inherited through named types and TCs (RFC 2579 §3). */
    private Map<Long, String> enumeration(MibModule module, MibSyntax syntax, int depth) {
        if (syntax.bits()) {
            return Map.of(); // BITS labels name bit positions, not values
        }
        if (!syntax.namedNumbers().isEmpty()) {
            return syntax.namedNumbers();
        }
        if (MibSyntax.BUILT_IN.contains(syntax.base()) || depth > MAX_DEPTH) {
            return Map.of();
        }
        MibModule owner = module;
        MibType type = module.types().get(syntax.base());
        if (type == null) {
            String from = module.imports().get(syntax.base());
            owner = from == null ? null : modules.get(from);
            type = owner == null ? null : owner.types().get(syntax.base());
            if (type == null && owner != null && owner.imports().containsKey(syntax.base())) {
                // re-exported: follow one more module
                MibModule next = modules.get(owner.imports().get(syntax.base()));
                type = next == null ? null : next.types().get(syntax.base());
                owner = next;
            }
        }
        return type == null ? Map.of() : enumeration(owner, type.syntax(), depth + 1);
    }

    private void reportUnplaced(MibModule module, MibDefinition def, String parent) {
        String from = module.imports().get(parent);
        if (from != null && modules.get(from) == null) {
            return; // the missing module is reported once, with the imports
        }
        String why;
        if (module.values().containsKey(parent) || from != null) {
            why = parent + " could not be placed";
        } else {
            why = parent + " is not defined or imported";
        }
        report(module, def.line(), module.name() + "::" + def.name(), "cannot place " + def.name() + ": " + why);
    }

    private void report(MibModule module, int line, String key, String reason) {
        if (reported.add(key)) {
            problems.add(new MibProblem(module.source(), line, reason));
        }
    }
}
