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
    }

    public RuleSet(List<Rule> rules, long generation) {
        this.rules = List.copyOf(rules);
        this.generation = generation;
        for (Rule r : this.rules) {
            byName.put(r.name(), r);
            SourceIndex si = bySource.computeIfAbsent(r.source(), s -> new SourceIndex());
            if (r.index().isEmpty()) {
                si.unindexed.add(r);
            } else {
                Map<String, List<Rule>> m = si.indexed.computeIfAbsent(r.index().get().field(), f -> new HashMap<>());
                for (String v : r.index().get().values()) {
                    m.computeIfAbsent(v, x -> new ArrayList<>(2)).add(r);
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
        if (si.indexed.isEmpty()) {
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
                out.addAll(hit);
            }
        }
        return out == null ? si.unindexed : Collections.unmodifiableList(out);
    }

    /** How many rules are indexed, by field, and how many see every event: for logs and /api/v1/rules. */
    public Map<String, Integer> indexSummary() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Rule r : rules) {
            String k = r.index().map(i -> i.field().path()).orElse("(every event of " + r.source().key() + ")");
            out.merge(k, 1, Integer::sum);
        }
        return out;
    }
}
