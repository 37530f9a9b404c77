package io.nocturne.alert.rules;

import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded rules, immutable, with the matcher's index: per source, the rules that must see
 * every event, and per indexed field a map from value to the rules that want it. Each rule
 * sits in exactly one place, so a lookup never yields a rule twice.
 */
public final class RuleSet {

    public static final RuleSet EMPTY = new RuleSet(List.of(), 0);

    private final List<Rule> rules;
    private final Map<String, Rule> byName = new LinkedHashMap<>();
    private final Map<RuleSource, SourceIndex> bySource = new EnumMap<>(RuleSource.class);
    private final long generation;

    private static final class SourceIndex {
        final List<Rule> unindexed = new ArrayList<>();
        final Map<MatchIndex.Field, Map<String, List<Rule>>> indexed = new EnumMap<>(MatchIndex.Field.class);
        final Map<MatchIndex.Field, List<Map.Entry<String, Rule>>> prefixes = new EnumMap<>(MatchIndex.Field.class);
        /** Some rule is reachable through more than one key: hits must be de-duplicated. */
        boolean multiKey;
    }

    public RuleSet(List<Rule> rules, long generation) {
        this.rules = List.copyOf(rules);
        this.generation = generation;
        for (Rule r : this.rules) {
            byName.put(r.name(), r);
            SourceIndex si = bySource.computeIfAbsent(r.source(), s -> new SourceIndex());
            if (r.index().isEmpty()) {
                si.unindexed.add(r);
                continue;
            }
            si.multiKey |= r.index().size() > 1 || r.index().get(0).prefix() && r.index().get(0).values().size() > 1;
            for (MatchIndex.Key key : r.index()) {
                if (key.prefix()) {
                    List<Map.Entry<String, Rule>> l = si.prefixes.computeIfAbsent(key.field(), f -> new ArrayList<>());
                    key.values().forEach(v -> l.add(Map.entry(v, r)));
                } else {
                    Map<String, List<Rule>> m = si.indexed.computeIfAbsent(key.field(), f -> new HashMap<>());
                    key.values().forEach(v -> m.computeIfAbsent(v, x -> new ArrayList<>(2)).add(r));
                }
            }
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    public Rule rule(String name) {
        return byName.get(name);
    }

    public int size() {
        return rules.size();
    }

    /** Increases with every successful load; tells a reload apart from the rules before it. */
    public long generation() {
        return generation;
    }

    /** The rules an event of {@code source} could match: unindexed ones plus the index's hits. */
    public List<Rule> candidates(RuleSource source, TelemetryEvent event) {
        SourceIndex si = bySource.get(source);
        if (si == null) {
            return List.of();
        }
        if (si.indexed.isEmpty() && si.prefixes.isEmpty()) {
            return si.unindexed;
        }
        List<Rule> out = null;
        for (Map.Entry<MatchIndex.Field, Map<String, List<Rule>>> e : si.indexed.entrySet()) {
            List<Rule> hit = e.getValue().get(e.getKey().valueOf(event));
            if (hit != null) {
                if (out == null) {
                    out = new ArrayList<>(si.unindexed.size() + hit.size());
                    out.addAll(si.unindexed);
                }
                for (int i = 0; i < hit.size(); i++) {
                    add(out, hit.get(i), si.multiKey);
                }
            }
        }
        for (Map.Entry<MatchIndex.Field, List<Map.Entry<String, Rule>>> e : si.prefixes.entrySet()) {
            String value = e.getKey().valueOf(event);
            for (Map.Entry<String, Rule> p : e.getValue()) {
                if (value.startsWith(p.getKey())) {
                    if (out == null) {
                        out = new ArrayList<>(si.unindexed);
                    }
                    add(out, p.getValue(), si.multiKey);
                }
            }
        }
        return out == null ? si.unindexed : Collections.unmodifiableList(out);
    }

    private static void add(List<Rule> out, Rule r, boolean dedupe) {
        if (!dedupe || !out.contains(r)) {
            out.add(r);
        }
    }

    /** How many rules are indexed, by field, and how many see every event: for logs and /api/v1/rules. */
    public Map<String, Integer> indexSummary() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Rule r : rules) {
            String k = r.index().isEmpty() ? "(every event of " + r.source().key() + ")"
                    : r.index().stream().map(i -> i.field().path()).distinct().collect(java.util.stream.Collectors.joining("|"));
            out.merge(k, 1, Integer::sum);
        }
        return out;
    }
}
