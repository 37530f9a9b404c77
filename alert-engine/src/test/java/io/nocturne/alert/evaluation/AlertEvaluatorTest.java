package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleFileLoader;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.EventRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The evaluation core on an in-memory store: exact transitions for each kind and option. */
class AlertEvaluatorTest {

    private final AtomicReference<RuleSet> rules = new AtomicReference<>();
    private final EvaluationMetrics metrics = new EvaluationMetrics(new SimpleMeterRegistry());
    private final AlertEvaluator evaluator = new AlertEvaluator(rules::get, Duration.ofSeconds(1), Duration.ofSeconds(30), metrics);
    private final TreeMap<String, AlertState> store = new TreeMap<>();
    private final List<AlertTransition> out = new ArrayList<>();
    private final AlertEvaluator.StateAccess access = new AlertEvaluator.StateAccess() {
        @Override
        public AlertState get(String fingerprint) {
            // A round trip through the serde, as the RocksDB store would do.
            AlertState s = store.get(fingerprint);
            return s == null ? null : AlertState.fromBytes(s.toBytes());
        }

        @Override
        public void put(String fingerprint, AlertState state) {
            store.put(fingerprint, AlertState.fromBytes(state.toBytes()));
        }

        @Override
        public void delete(String fingerprint) {
            store.remove(fingerprint);
        }

        @Override
        public void forEach(BiConsumer<String, AlertState> visitor) {
            new TreeMap<>(store).forEach((k, v) -> visitor.accept(k, AlertState.fromBytes(v.toBytes())));
        }
    };

    private void load(String yaml) throws Exception {
        List<Rule> loaded = RuleFileLoader.parse("t.yml", "groups:\n  - name: g\n    rules:\n" + yaml.indent(6));
        rules.set(new RuleSet(loaded, rules.get() == null ? 1 : rules.get().generation() + 1));
    }

    private void match(String rule, String device, long t, double value, String distinct, boolean clear) {
        Rule r = rules.get().rule(rule);
        Map<String, String> labels = Map.of("device", device);
        RuleMatch m = new RuleMatch(rule, r.signature(), clear, labels, value, distinct,
                EventRef.newBuilder().setTopic("nocturne.syslog").setPartition(0).setOffset(t).setEventId("e" + t).build());
        evaluator.onMatch(Fingerprint.of(rule, labels), m, t, t, access, (fp, tr, cause) -> out.add(tr));
    }

    private void tick(long now) {
        evaluator.onTick(now, access, (fp, tr, cause) -> out.add(tr), fp -> true, "0_0");
    }

    private List<String> summary() {
        return out.stream().map(t -> t.getState().name().substring(12).toLowerCase() + (t.getFlapping() ? "(flapping)" : "")
                + "@" + t.getEvaluatedAtUnixNanos() / 1_000_000 + "=" + AnnotationValue.of(t.getValue())).toList();
    }

    /** Values printed as the annotations do: 5.0 → "5". */
    private static final class AnnotationValue {
        static String of(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** An event rule {@code Cfg} firing for devices d0 … d(n-1), matched at 1 s. */
    private void firingEventAlerts(int devices, String resolveAfter) throws Exception {
        load("""
                - name: Cfg
                  kind: event
                  source: syslog
                  match: "true"
                  resolve_after: %s
                """.formatted(resolveAfter));
        for (int d = 0; d < devices; d++) {
            match("Cfg", "d" + d, 1_000, 1, "", false);
        }
    }

    @Test
    void aSweepInStepsVisitsEveryKeyOnceAndReportsWhenItsRoundEnds() throws Exception {
        firingEventAlerts(300, "1s");
        // Keys that are not fingerprints are swept too: the ranges cover every string.
        List<String> odd = List.of("", "0", "1", ":", "@", "g", "zz", "\u00e9t\u00e9", "ffffffffffffffffff");
        AlertState firing = store.get(Fingerprint.of("Cfg", Map.of("device", "d0")));
        odd.forEach(k -> store.put(k, AlertState.fromBytes(firing.toBytes())));
        List<String> keys = new ArrayList<>(store.keySet());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AlertEvaluator stepped = new AlertEvaluator(rules::get, Duration.ofSeconds(1), Duration.ofSeconds(30),
                new EvaluationMetrics(registry));
        AlertEvaluator.SweepRound round = new AlertEvaluator.SweepRound();
        List<String> swept = new ArrayList<>();
        for (int step = 0; step < AlertEvaluator.SWEEP_STEPS; step++) {
            assertThat(round.step()).isEqualTo(step);
            String[] range = round.range(step);
            List<String> inStep = new ArrayList<>();
            boolean ended = stepped.sweepStep(5_000, access, (fp, tr, cause) -> inStep.add(fp), fp -> true, "0_0", round);
            assertThat(ended).isEqualTo(step == AlertEvaluator.SWEEP_STEPS - 1);
            assertThat(inStep).allSatisfy(k -> assertThat((range[0] == null || k.compareTo(range[0]) >= 0)
                    && (range[1] == null || k.compareTo(range[1]) < 0)).isTrue());
            swept.addAll(inStep);
            if (!ended) {
                assertThat(registry.find("nocturne.alert.state.entries").gauge().value()).isZero(); // reported when the round ends
            }
        }
        assertThat(swept).isEqualTo(keys);               // each once, in key order
        assertThat(round.step()).isZero();
        assertThat(store).isEmpty();                     // resolved event alerts are disposable
        assertThat(registry.find("nocturne.alert.state.entries").gauge().value()).isEqualTo(keys.size());
    }

    @Test
    void theNextRoundSplitsTheKeysItsPredecessorFoundIntoEqualSteps() throws Exception {
        // Fingerprints of similar labels share leading digits: the first round's split by the
        // leading hex digits is uneven; the second round's steps hold about an equal share each.
        firingEventAlerts(1600, "1h");
        AlertEvaluator.SweepRound round = new AlertEvaluator.SweepRound();
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        for (List<Integer> sizes : List.of(first, second)) {
            for (int step = 0; step < AlertEvaluator.SWEEP_STEPS; step++) {
                // The store keeps every state (resolve_after 1h): a step sweeps exactly its range.
                String[] range = round.range(round.step());
                java.util.NavigableMap<String, AlertState> part = store;
                if (range[0] != null) {
                    part = part.tailMap(range[0], true);
                }
                if (range[1] != null) {
                    part = part.headMap(range[1], false);
                }
                sizes.add(part.size());
                evaluator.sweepStep(5_000, access, (fp, tr, cause) -> out.add(tr), fp -> true, "0_0", round);
            }
        }
        assertThat(first.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1600);
        assertThat(second.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1600);
        int share = 1600 / AlertEvaluator.SWEEP_STEPS;
        assertThat(second).allSatisfy(n -> assertThat(n).isBetween(share / 2, share * 3 / 2));
        assertThat(store).hasSize(1600);
    }

    @Test
    void tumblingSumFiresWhenItsWindowClosesAndResolvesWhenTheNextIsQuiet() throws Exception {
        load("""
                - name: Bytes
                  source: flows
                  match: "true"
                  aggregate: sum
                  field: double(flow.bytes)
                  window: 10s
                  window_type: tumbling
                  op: ">"
                  threshold: 100
                """);
        match("Bytes", "r1", 1_000, 60, "", false);
        match("Bytes", "r1", 9_000, 50, "", false);   // window [0,10s) sums 110
        assertThat(out).isEmpty();                     // not before the window closes
        match("Bytes", "r1", 12_000, 10, "", false);  // next window: [0,10s) closes
        tick(40_000);                                  // [10s,20s) closes only 30 s (allowed lateness) after its end
        tick(50_000);                                  // now it closes with 10
        assertThat(summary()).containsExactly("firing@10000=110", "firing@40000=110", "resolved@50000=10");
        assertThat(out.get(0).getTransitionId()).isEqualTo(Fingerprint.of("Bytes", Map.of("device", "r1")) + ":firing:10000");
        // The sweep at 40 s refreshed the firing alert (an event arrived since it fired).
        assertThat(out.get(1).getTransitionId()).isEqualTo(Fingerprint.of("Bytes", Map.of("device", "r1")) + ":firing:10000:1");
        assertThat(out.get(2).getTransitionId()).isEqualTo(Fingerprint.of("Bytes", Map.of("device", "r1")) + ":resolved:10000");
        assertThat(out.get(0).getEvidenceList()).extracting(EventRef::getOffset).containsExactly(1_000L, 9_000L);
        assertThat(store).isEmpty();
    }

    @Test
    void slidingAverageMinMaxAndDistinctFollowTheWindow() throws Exception {
        load("""
                - name: Avg
                  source: flows
                  match: "true"
                  aggregate: avg
                  field: double(flow.bytes)
                  window: 60s
                  threshold: 50
                - name: Max
                  source: flows
                  match: "true"
                  aggregate: max
                  field: double(flow.bytes)
                  window: 60s
                  threshold: 90
                - name: Ports
                  source: flows
                  match: "true"
                  aggregate: distinct
                  field: flow.dst_port
                  window: 60s
                  threshold: 3
                """);
        match("Avg", "r1", 0, 20, "", false);
        match("Avg", "r1", 1_000, 100, "", false);   // avg 60 >= 50
        match("Max", "r1", 0, 95, "", false);        // max 95 >= 90
        match("Ports", "r1", 0, 0, "22", false);
        match("Ports", "r1", 1_000, 0, "22", false);
        match("Ports", "r1", 2_000, 0, "23", false);
        match("Ports", "r1", 3_000, 0, "443", false); // 3 distinct
        assertThat(summary()).containsExactly("firing@1000=60", "firing@0=95", "firing@3000=3");
        out.clear();
        tick(62_000); // the window (2 s, 62 s]: avg and max lost their events, port 443 (at 3 s) is still in
        assertThat(summary()).containsExactly("resolved@62000=0", "resolved@62000=0", "resolved@62000=1");
        out.clear();
        tick(64_000);
        assertThat(summary()).isEmpty();
        assertThat(store).isEmpty();
    }

    @Test
    void forHoldsAnAlertPendingAndKeepFiringForHoldsItAfterwards() throws Exception {
        load("""
                - name: Down
                  kind: problem_clear
                  source: traps
                  match: trap.trap_oid == "down"
                  clear: trap.trap_oid == "up"
                  for: 10s
                  keep_firing_for: 30s
                """);
        match("Down", "r1", 0, 0, "", false);
        tick(5_000);
        tick(10_000);
        match("Down", "r1", 20_000, 0, "", true);    // cleared, but kept firing for 30 s
        tick(45_000);
        tick(51_000);
        String fp = Fingerprint.of("Down", Map.of("device", "r1"));
        // The sweep after the clear refreshes the (kept) firing alert with its new value 0;
        // it resolves 30 s after the clear, not 30 s after the last sweep that saw it down.
        assertThat(summary()).containsExactly("pending@0=1", "firing@10000=1", "firing@45000=0", "resolved@51000=0");
        assertThat(out).extracting(AlertTransition::getTransitionId)
                .containsExactly(fp + ":pending:0", fp + ":firing:10000", fp + ":firing:10000:1", fp + ":resolved:10000");
        assertThat(out.get(1).getPendingSinceUnixNanos()).isZero().isEqualTo(0L);
        assertThat(out.get(1).getActiveSinceUnixNanos()).isEqualTo(10_000_000_000L);
    }

    @Test
    void flappingFoldsAStormIntoOneAlertAndSaysWhereItStandsWhenQuiet() throws Exception {
        load("""
                - name: Link
                  kind: problem_clear
                  source: traps
                  match: trap.trap_oid == "down"
                  clear: trap.trap_oid == "up"
                  flap: {changes: 3, window: 60s}
                """);
        for (int i = 0; i < 5; i++) {
            match("Link", "r1", i * 10_000L, 0, "", false);
            match("Link", "r1", i * 10_000L + 5_000, 0, "", true);
        }
        match("Link", "r1", 50_000, 0, "", false);   // down again, while flapping
        tick(100_000);                               // last change at 50 s: not quiet yet
        tick(111_000);                               // quiet for a whole window: it is down now
        assertThat(summary()).containsExactly("firing@0=1", "resolved@5000=0", "firing@10000=1",
                "firing(flapping)@15000=0", "firing@111000=1");
        assertThat(out.get(3).getLabelsMap()).containsEntry("flapping", "true");
        assertThat(out.get(4).getLabelsMap()).doesNotContainKey("flapping");
    }

    @Test
    void absenceCoversGroupsSeenBeforeAndExpectedOnes() throws Exception {
        load("""
                - name: Silent
                  kind: absence
                  source: syslog
                  match: "true"
                  after: 60s
                  expected: [{device: never-seen}]
                """);
        match("Silent", "seen", 0, 0, "", false);
        tick(1_000);                                  // registers the expected group at 1 s
        tick(61_000);                                 // "seen" silent since 0 s
        tick(62_000);                                 // "never-seen" silent since 1 s
        match("Silent", "seen", 70_000, 0, "", false); // it speaks again
        assertThat(summary()).containsExactly("firing@60000=61", "firing@61000=60", "resolved@70000=0");
        assertThat(out.get(1).getLabelsMap()).containsEntry("device", "never-seen");
    }

    @Test
    void aChangedRuleResolvesItsFiringAlertsAndStaleMatchesAreNotCounted() throws Exception {
        String v1 = """
                - name: Errors
                  source: syslog
                  match: syslog.severity <= 3
                  window: 60s
                  threshold: 2
                """;
        load(v1);
        long oldSignature = rules.get().rule("Errors").signature();
        match("Errors", "r1", 0, 1, "", false);
        match("Errors", "r1", 1_000, 1, "", false);
        load(v1.replace("threshold: 2", "threshold: 3"));
        assertThat(rules.get().rule("Errors").signature()).isNotEqualTo(oldSignature);
        // A match made before the reload, still in flight, carries the old signature.
        RuleMatch stale = new RuleMatch("Errors", oldSignature, false, Map.of("device", "r1"), 1, "",
                EventRef.getDefaultInstance());
        evaluator.onMatch(Fingerprint.of("Errors", Map.of("device", "r1")), stale, 2_000, 2_000, access, (fp, t, c) -> out.add(t));
        tick(3_000);
        assertThat(summary()).containsExactly("firing@1000=2", "resolved@3000=2");
        assertThat(out.get(1).getTransitionId()).endsWith(":resolved:1000:rule-changed");
        assertThat(store).isEmpty();
    }
}
