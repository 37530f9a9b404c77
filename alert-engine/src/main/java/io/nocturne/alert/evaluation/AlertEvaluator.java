package io.nocturne.alert.evaluation;

import io.nocturne.alert.rules.AnnotationTemplate;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleKind;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.telemetry.v1.AlertTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The evaluation core, free of Kafka: for one (rule, group) key, what a match or the passing
 * of time does to its {@link AlertState}, and which {@link AlertTransition}s that emits.
 * {@link RuleStateProcessor} runs it on Kafka Streams; the rule test runner and the
 * benchmarks run the same code.
 *
 * <p>The condition of each rule kind is computed on events (event time) and on sweeps
 * (processing time); the phase machine common to all kinds is
 * <pre>
 * INACTIVE --condition--> PENDING (for &gt; 0) --held for `for`--> FIRING
 * INACTIVE --condition--> FIRING (for = 0)
 * PENDING  --condition ends--> INACTIVE (RESOLVED: pending cancelled)
 * FIRING   --condition ended keep_firing_for ago--> INACTIVE (RESOLVED)
 * </pre>
 * Every transition carries an id made of the fingerprint, the state and the time its episode
 * began (event-derived, not the wall clock), so the same transition emitted again after a
 * crash has the same id.
 */
public final class AlertEvaluator {

    public static final String STORE = "rule-state";
    /** Absence rules record a group's last event to this resolution. */
    static final long ABSENCE_RESOLUTION_MILLIS = 1_000;

    /** Where state lives: a Kafka Streams store, or a map in tests and benchmarks. */
    public interface StateAccess {
        AlertState get(String fingerprint);

        void put(String fingerprint, AlertState state);

        void delete(String fingerprint);

        /** Visits every entry; the visitor may not modify the store (the sweep collects changes). */
        void forEach(BiConsumer<String, AlertState> visitor);

        /**
         * Visits the entries with {@code from <= key < to} (a null bound is open) in key order; the
         * visitor may not modify the store. A store with range queries overrides this; the
         * default sorts what {@link #forEach(BiConsumer)} visits.
         */
        default void forEach(String from, String to, BiConsumer<String, AlertState> visitor) {
            TreeMap<String, AlertState> sorted = new TreeMap<>();
            forEach((k, v) -> {
                if ((from == null || k.compareTo(from) >= 0) && (to == null || k.compareTo(to) < 0)) {
                    sorted.put(k, v);
                }
            });
            sorted.forEach(visitor);
        }
    }

    /**
     * A sweep round is spread over the evaluation interval in this many steps, each a range of
     * the store's keys: every state is still swept once per interval, but the stream thread
     * never stops for the whole store (with 80,000 states, sweeping all of them in one go held
     * every event behind it for up to a second, every interval). The ranges split the keys the
     * previous round found into equal parts (fingerprints of similar labels share their leading
     * digits, so a fixed split by the first digit would put most of them in one step); the first
     * round splits by the first two hex digits. Each task sweeps on its own, and the tasks of
     * an instance were started together, so their steps come together: 64 small steps (one per
     * ~80 ms at the default 5 s) keep that combined pause short.
     */
    public static final int SWEEP_STEPS = 64;

    private static final String[] FIRST_ROUND_BOUNDS = new String[SWEEP_STEPS + 1];

    static {
        for (int i = 1; i < SWEEP_STEPS; i++) {
            // [0] and [SWEEP_STEPS] stay null: open
            FIRST_ROUND_BOUNDS[i] = String.format("%02x", i * 256 / SWEEP_STEPS);
        }
    }

    /**
     * One task's way through a sweep round: the round's key ranges, the next step, what the
     * round has counted so far (store entries, active alerts; reported when it ends) and a
     * sample of its keys, evenly spaced, from which the next round's ranges are cut.
     */
    public static final class SweepRound {
        private int step;
        private String[] bounds = FIRST_ROUND_BOUNDS;
        private final List<String> samples = new ArrayList<>();
        private long sampleEvery = 1;
        private long entries;
        private final Map<String, Long> active = new HashMap<>();

        /** The step the next {@link #sweepStep} sweeps, 0 to {@link #SWEEP_STEPS} - 1. */
        public int step() {
            return step;
        }

        /** The key range of a step: {@code [from, to)}, a null bound open. */
        String[] range(int step) {
            return new String[] {bounds[step], bounds[step + 1]};
        }

        /** A step's key range in a task's first round (before any round has seen its keys). */
        static String[] firstRoundRange(int step) {
            return new String[] {FIRST_ROUND_BOUNDS[step], FIRST_ROUND_BOUNDS[step + 1]};
        }

        private void sample(String key) {
            if (entries % sampleEvery == 0) {
                samples.add(key);
                if (samples.size() >= 8 * SWEEP_STEPS) {
                    // Keep every other one: still evenly spaced, never more than 8 per step.
                    for (int i = 0; i < samples.size() / 2; i++) {
                        samples.set(i, samples.get(2 * i));
                    }
                    samples.subList(samples.size() / 2, samples.size()).clear();
                    sampleEvery *= 2;
                }
            }
        }

        private void endRound() {
            if (samples.size() >= SWEEP_STEPS) {
                String[] next = new String[SWEEP_STEPS + 1];
                for (int i = 1; i < SWEEP_STEPS; i++) {
                    next[i] = samples.get(i * samples.size() / SWEEP_STEPS);
                }
                bounds = next;
            } else {
                bounds = FIRST_ROUND_BOUNDS; // a small store: how it is split hardly matters
            }
            samples.clear();
            sampleEvery = 1;
            step = 0;
            entries = 0;
            active.clear();
        }
    }

    /** Receives transitions; {@code cause} is the match that caused it, or null for a sweep. */
    public interface TransitionSink {
        void emit(String fingerprint, AlertTransition transition, RuleMatch cause);
    }

    private final Supplier<RuleSet> rules;
    private final Duration refreshInterval;
    private final long allowedLatenessMillis;
    private final EvaluationMetrics metrics;

    public AlertEvaluator(Supplier<RuleSet> rules, Duration refreshInterval, Duration allowedLateness,
                          EvaluationMetrics metrics) {
        this.rules = rules;
        this.refreshInterval = refreshInterval;
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.metrics = metrics;
    }

    /** What one call works on: the key, its rule and state, where transitions go, and the wall clock. */
    private record Ctx(String fp, Rule rule, AlertState s, TransitionSink sink, RuleMatch cause, long wall) {
    }

    // ---- events -----------------------------------------------------------------------------

    /** One match of {@code fp}'s rule at event time {@code t}. */
    public void onMatch(String fp, RuleMatch m, long t, long wall, StateAccess store, TransitionSink sink) {
        Rule rule = rules.get().rule(m.rule());
        if (rule == null || rule.signature() != m.signature()) {
            metrics.stale();
            return;
        }
        AlertState s = store.get(fp);
        if (s != null && s.signature != rule.signature()) {
            retire(fp, s, rule, wall, sink);
            s = null;
        }
        if (s == null) {
            s = new AlertState(rule.name(), rule.signature(), m.groupLabels());
            s.firstSeenAt = t;
        } else if (rule.kind() instanceof RuleKind.Absence && s.phase == AlertState.Phase.INACTIVE && !s.flapping
                && t < s.lastMatchAt + ABSENCE_RESOLUTION_MILLIS) {
            // A chatty device's heartbeat: silence is measured to the second, so a state write
            // per message would buy nothing but store and changelog traffic.
            return;
        }
        Ctx ctx = new Ctx(fp, rule, s, sink, m, wall);
        if (rule.kind() instanceof RuleKind.Event e) {
            s.addEvidence(m.evidence());
            s.dirty = true;
            s.lastMatchAt = Math.max(s.lastMatchAt, t);
            s.value = s.phase == AlertState.Phase.INACTIVE ? 1 : s.value + 1;
            apply(ctx, true, t, t);
        } else if (rule.kind() instanceof RuleKind.Threshold th) {
            if (!addToWindow(ctx, th, m, t)) {
                metrics.late();
                store.put(fp, s);
                return;
            }
        } else if (rule.kind() instanceof RuleKind.Absence a) {
            s.addEvidence(m.evidence());
            s.lastMatchAt = Math.max(s.lastMatchAt, t);
            s.value = 0;
            apply(ctx, false, t, t);
        } else if (rule.kind() instanceof RuleKind.ProblemClear pc) {
            s.addEvidence(m.evidence());
            s.dirty = true;
            if (m.clear()) {
                s.problemOpen = false;
                s.value = 0;
                apply(ctx, false, t, t);
            } else {
                s.problemOpen = true;
                s.lastMatchAt = Math.max(s.lastMatchAt, t);
                s.value = 1;
                apply(ctx, true, t, t);
            }
        }
        if (disposable(rule, s, t)) {
            store.delete(fp);
        } else {
            store.put(fp, s);
        }
    }

    /** Adds the match to the window; false if it is too late for it (a closed tumbling window). */
    private boolean addToWindow(Ctx ctx, RuleKind.Threshold th, RuleMatch m, long t) {
        AlertState s = ctx.s();
        long w = th.window().toMillis();
        if (th.tumbling()) {
            if (s.window == null) {
                s.window = new WindowBuckets(w);
            }
            long ws = Math.floorDiv(t, w) * w;
            if (s.windowStart == Long.MIN_VALUE) {
                s.windowStart = ws;
            }
            if (ws < s.windowStart) {
                return false;
            }
            if (ws > s.windowStart) {
                closeTumbling(ctx, th, ws, t);
            }
            s.window.add(t, m.value(), m.distinct());
            s.addEvidence(m.evidence());
            s.dirty = true;
            s.lastMatchAt = Math.max(s.lastMatchAt, t);
            return true;
        }
        if (s.window == null) {
            s.window = new WindowBuckets(WindowBuckets.slidingWidth(w));
        }
        long at = Math.max(t, s.lastMatchAt);
        if (t <= at - w) {
            return false; // already outside the window: it can change nothing
        }
        s.window.add(t, m.value(), m.distinct());
        s.addEvidence(m.evidence());
        s.dirty = true;
        s.lastMatchAt = at;
        s.window.evictBefore(at - w);
        s.value = s.window.value(th.aggregate(), at - w + 1, at, w);
        apply(ctx, condition(th, s), t, t);
        return true;
    }

    /** Evaluates the filled tumbling window (and one empty one if windows were skipped), then starts {@code next}. */
    private void closeTumbling(Ctx ctx, RuleKind.Threshold th, long next, long now) {
        AlertState s = ctx.s();
        long w = th.window().toMillis();
        long end = s.windowStart + w;
        s.value = s.window.value(th.aggregate(), s.windowStart, end - 1, w);
        apply(ctx, condition(th, s), now, end);
        s.window.clear();
        if (next > end) {
            // At least one whole window passed without an event: its value is that of no events.
            s.value = s.window.value(th.aggregate(), end, end + w - 1, w);
            apply(ctx, condition(th, s), now, end + w);
        }
        s.windowStart = next;
    }

    /** Hysteresis: a firing alert is held against the clear threshold, anything else against the threshold. */
    private static boolean condition(RuleKind.Threshold th, AlertState s) {
        if (Double.isNaN(s.value)) {
            return false;
        }
        double level = s.phase == AlertState.Phase.FIRING ? th.clearLevel() : th.threshold();
        return th.op().holds(s.value, level);
    }

    // ---- time -------------------------------------------------------------------------------

    /**
     * The sweep at wall-clock {@code now}: absence, {@code for}, keep_firing_for, event expiry,
     * sliding windows emptying, tumbling windows closing, flapping ending, refreshes; rules
     * removed or changed since a key's state was written resolve that key's alert.
     *
     * @param owns whether this task owns a key (expected groups of absence rules are created
     *             by the task their fingerprint is partitioned to)
     */
    public void onTick(long now, StateAccess store, TransitionSink sink, Predicate<String> owns, String task) {
        SweepRound round = new SweepRound();
        while (!sweepStep(now, store, sink, owns, task, round)) {
            // the whole store, step by step
        }
    }

    /**
     * The round's next step at wall-clock {@code now} (what {@link #onTick} does for the whole
     * store): sweeps the states in the step's key range. The last step ends the round: the
     * expected groups of absence rules are created and the round's store entries and active
     * alerts go to the metrics.
     *
     * @return whether this step ended the round
     */
    public boolean sweepStep(long now, StateAccess store, TransitionSink sink, Predicate<String> owns, String task, SweepRound round) {
        RuleSet rs = rules.get();
        List<Map.Entry<String, AlertState>> updates = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        String[] range = round.range(round.step);
        store.forEach(range[0], range[1], (fp, s) -> {
            round.sample(fp);
            round.entries++;
            Rule rule = rs.rule(s.rule);
            if (rule == null || rule.signature() != s.signature) {
                retire(fp, s, rule, now, sink);
                deletes.add(fp);
                return;
            }
            // Most states do not change in a sweep: only the ones that did are written back
            // (a write is a RocksDB put and a changelog record).
            long[] before = s.snapshot();
            tick(new Ctx(fp, rule, s, sink, null, now), now);
            if (disposable(rule, s, now)) {
                deletes.add(fp);
            } else {
                if (!java.util.Arrays.equals(before, s.snapshot())) {
                    updates.add(Map.entry(fp, s));
                }
                if (s.phase != AlertState.Phase.INACTIVE || s.flapping) {
                    String state = s.flapping ? "flapping" : s.phase.name().toLowerCase(Locale.ROOT);
                    round.active.merge(rule.name() + '\0' + state + '\0' + rule.severity(), 1L, Long::sum);
                }
            }
        });
        updates.forEach(e -> store.put(e.getKey(), e.getValue()));
        deletes.forEach(store::delete);
        if (round.step < SWEEP_STEPS - 1) {
            round.step++;
            return false;
        }
        // Absence rules' expected groups: known from the start, even if they never sent anything.
        for (Rule rule : rs.rules()) {
            if (rule.kind() instanceof RuleKind.Absence a) {
                for (Map<String, String> labels : a.expected()) {
                    String fp = Fingerprint.of(rule.name(), labels);
                    if (owns.test(fp) && store.get(fp) == null) {
                        AlertState s = new AlertState(rule.name(), rule.signature(), labels);
                        s.firstSeenAt = now;
                        s.lastMatchAt = now;
                        store.put(fp, s);
                        round.entries++;
                    }
                }
            }
        }
        metrics.sweep(task, round.active, round.entries);
        round.endRound();
        return true;
    }

    private void tick(Ctx ctx, long now) {
        AlertState s = ctx.s();
        Rule rule = ctx.rule();
        if (rule.kind() instanceof RuleKind.Event e) {
            boolean cond = s.lastMatchAt + e.resolveAfter().toMillis() > now;
            apply(ctx, cond, now, s.lastMatchAt);
        } else if (rule.kind() instanceof RuleKind.Threshold th && s.window != null) {
            long w = th.window().toMillis();
            if (th.tumbling()) {
                if (s.windowStart != Long.MIN_VALUE && now >= s.windowStart + w + allowedLatenessMillis) {
                    long next = Math.floorDiv(now - allowedLatenessMillis, w) * w;
                    closeTumbling(ctx, th, Math.max(next, s.windowStart + w), now);
                } else {
                    apply(ctx, condition(th, s), now, now);
                }
            } else {
                long at = Math.max(now, s.lastMatchAt);
                s.window.evictBefore(at - w);
                s.value = s.window.value(th.aggregate(), at - w + 1, at, w);
                apply(ctx, condition(th, s), now, now);
            }
        } else if (rule.kind() instanceof RuleKind.Absence a) {
            long since = s.lastMatchAt + a.after().toMillis();
            if (now >= since) {
                s.value = (now - s.lastMatchAt) / 1000.0;
            }
            apply(ctx, now >= since, now, since);
        } else if (rule.kind() instanceof RuleKind.ProblemClear pc) {
            if (s.problemOpen && pc.resolveAfter() != null && now >= s.lastMatchAt + pc.resolveAfter().toMillis()) {
                s.problemOpen = false;
                s.value = 0;
            }
            apply(ctx, s.problemOpen, now, s.lastMatchAt);
        }
        if (s.flapping && rule.flap() != null) {
            trimChanges(s, rule.flap(), now);
            if (s.changes.isEmpty()) {
                // Quiet for a whole flap window: say where the alert stands now.
                s.flapping = false;
                String suffix = "after-flapping-" + s.flapSince;
                if (s.phase == AlertState.Phase.FIRING) {
                    emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_FIRING, now, suffix, false);
                } else {
                    emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_RESOLVED, now, suffix, false);
                }
            }
        }
        if (s.phase == AlertState.Phase.FIRING && !s.flapping && s.dirty
                && ctx.wall() - s.lastEmitWallMillis >= refreshInterval.toMillis()) {
            s.refreshes++;
            emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_FIRING, now, Integer.toString(s.refreshes), false);
        }
    }

    // ---- the phase machine ------------------------------------------------------------------

    /**
     * @param cond  whether the condition holds at {@code now}
     * @param since when it began to hold, if it does (event time where known)
     */
    private void apply(Ctx ctx, boolean cond, long now, long since) {
        AlertState s = ctx.s();
        Rule rule = ctx.rule();
        long forMillis = rule.forDuration().toMillis();
        if (cond) {
            s.holding = true;
        } else if (s.holding) {
            // It held until now: keep_firing_for counts from the moment it stopped. (Only this
            // edge moves lastTrueAt: a condition that goes on holding leaves the state as it
            // is, so a sweep does not write back every firing alert it looks at.)
            s.holding = false;
            s.lastTrueAt = now;
        }
        switch (s.phase) {
            case INACTIVE -> {
                if (cond) {
                    if (forMillis == 0) {
                        fire(ctx, since);
                    } else {
                        pend(ctx, since);
                        if (now >= since + forMillis) {
                            fire(ctx, since + forMillis);
                        }
                    }
                }
            }
            case PENDING -> {
                if (cond) {
                    if (now >= s.pendingSince + forMillis) {
                        fire(ctx, s.pendingSince + forMillis);
                    }
                } else {
                    // Pending that never fired ends: said once (id from the pending start), unlike
                    // Prometheus, which drops it silently; consumers that only care about firing
                    // alerts see a RESOLVED without a FIRING and ignore it.
                    if (!s.flapping) {
                        emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_RESOLVED, now, "pending", false);
                    }
                    s.phase = AlertState.Phase.INACTIVE;
                }
            }
            case FIRING -> {
                if (!cond && now >= s.lastTrueAt + rule.keepFiringFor().toMillis()) {
                    resolve(ctx, now);
                }
            }
        }
    }

    private void pend(Ctx ctx, long at) {
        AlertState s = ctx.s();
        s.phase = AlertState.Phase.PENDING;
        s.pendingSince = at;
        if (!s.flapping) {
            emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_PENDING, at, null, false);
        }
    }

    private void fire(Ctx ctx, long at) {
        AlertState s = ctx.s();
        s.phase = AlertState.Phase.FIRING;
        s.activeSince = at;
        s.refreshes = 0;
        recordChange(ctx, at);
        if (!s.flapping) {
            emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_FIRING, at, null, false);
        }
    }

    private void resolve(Ctx ctx, long at) {
        AlertState s = ctx.s();
        recordChange(ctx, at);
        if (!s.flapping) {
            emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_RESOLVED, at, null, false);
        }
        s.phase = AlertState.Phase.INACTIVE;
        s.pendingSince = 0;
    }

    /** Flap detection: more than N changes within the window turn the storm into one flapping alert. */
    private void recordChange(Ctx ctx, long at) {
        Rule.FlapDetection flap = ctx.rule().flap();
        AlertState s = ctx.s();
        if (flap == null) {
            return;
        }
        s.changes.addLast(at);
        trimChanges(s, flap, at);
        while (s.changes.size() > 1_000) {
            s.changes.removeFirst();
        }
        if (!s.flapping && s.changes.size() > flap.maxChanges()) {
            s.flapping = true;
            s.flapSince = at;
            emit(ctx, io.nocturne.telemetry.v1.AlertState.ALERT_STATE_FIRING, at, null, true);
        }
    }

    private static void trimChanges(AlertState s, Rule.FlapDetection flap, long now) {
        while (!s.changes.isEmpty() && s.changes.peekFirst() <= now - flap.window().toMillis()) {
            s.changes.removeFirst();
        }
    }

    // ---- output -----------------------------------------------------------------------------

    private void emit(Ctx ctx, io.nocturne.telemetry.v1.AlertState state, long at, String suffix, boolean flapping) {
        Rule rule = ctx.rule();
        AlertState s = ctx.s();
        Map<String, String> labels = new TreeMap<>(rule.labels());
        labels.putAll(s.groupLabels);
        labels.put("alertname", rule.name());
        labels.put("severity", rule.severity());
        if (flapping) {
            labels.put("flapping", "true");
        }
        double threshold = rule.kind() instanceof RuleKind.Threshold th ? th.threshold() : 0;
        long episode = flapping ? s.flapSince
                : state == io.nocturne.telemetry.v1.AlertState.ALERT_STATE_PENDING || s.phase == AlertState.Phase.PENDING
                ? s.pendingSince : s.activeSince;
        String name = flapping ? "flapping" : switch (state) {
            case ALERT_STATE_PENDING -> "pending";
            case ALERT_STATE_FIRING -> "firing";
            default -> "resolved";
        };
        double value = Double.isNaN(s.value) ? 0 : s.value;
        AlertTransition.Builder t = AlertTransition.newBuilder()
                .setFingerprint(ctx.fp())
                .setRule(rule.name())
                .setRuleGroup(rule.group())
                .setRuleKind(rule.kind().key())
                .setState(state)
                .putAllLabels(labels)
                .setValue(value)
                .setThreshold(threshold)
                .setActiveSinceUnixNanos(s.activeSince * 1_000_000L)
                .setPendingSinceUnixNanos(s.pendingSince * 1_000_000L)
                .setEvaluatedAtUnixNanos(at * 1_000_000L)
                .setSeverity(rule.severity())
                .setFlapping(flapping)
                .setTransitionId(ctx.fp() + ":" + name + ":" + episode + (suffix == null ? "" : ":" + suffix))
                .addAllEvidence(s.evidence());
        s.evidence.forEach(r -> t.addSampleEventIds(r.getEventId()));
        if (state == io.nocturne.telemetry.v1.AlertState.ALERT_STATE_RESOLVED) {
            t.setResolvedAtUnixNanos(at * 1_000_000L);
        }
        rule.annotations().forEach((k, v) -> t.putAnnotations(k, AnnotationTemplate.expand(v, labels, value, threshold)));
        if (flapping) {
            t.putAnnotations("flapping", "changed state " + s.changes.size() + " times within "
                    + rule.flap().window().toSeconds() + "s; further changes are held back until it is quiet for that long");
        }
        s.dirty = false;
        s.lastEmitWallMillis = ctx.wall();
        metrics.transition(rule.name(), name, rule.severity());
        ctx.sink().emit(ctx.fp(), t.build(), ctx.cause());
    }

    /** The rule was removed or changed: its alert ends instead of hanging firing forever. */
    private void retire(String fp, AlertState s, Rule current, long now, TransitionSink sink) {
        if (s.phase != AlertState.Phase.FIRING && !s.flapping) {
            return;
        }
        Map<String, String> labels = new TreeMap<>(s.groupLabels);
        labels.put("alertname", s.rule);
        AlertTransition t = AlertTransition.newBuilder()
                .setFingerprint(fp)
                .setRule(s.rule)
                .setRuleGroup(current == null ? "" : current.group())
                .setState(io.nocturne.telemetry.v1.AlertState.ALERT_STATE_RESOLVED)
                .putAllLabels(labels)
                .setValue(Double.isNaN(s.value) ? 0 : s.value)
                .setActiveSinceUnixNanos(s.activeSince * 1_000_000L)
                .setEvaluatedAtUnixNanos(now * 1_000_000L)
                .setResolvedAtUnixNanos(now * 1_000_000L)
                .setTransitionId(fp + ":resolved:" + s.activeSince + ":rule-" + (current == null ? "removed" : "changed"))
                .putAnnotations("summary", "rule " + s.rule + (current == null ? " was removed" : " was changed; its alerts start afresh"))
                .addAllEvidence(s.evidence())
                .build();
        metrics.transition(s.rule, "resolved", current == null ? "none" : current.severity());
        sink.emit(fp, t, null);
    }

    /** Nothing worth keeping: no alert, no window, no flap history (absence groups are always kept). */
    private static boolean disposable(Rule rule, AlertState s, long now) {
        if (s.phase != AlertState.Phase.INACTIVE || s.flapping || !s.changes.isEmpty()) {
            return false;
        }
        if (rule.kind() instanceof RuleKind.Event e) {
            return now >= s.lastMatchAt + e.resolveAfter().toMillis();
        } else if (rule.kind() instanceof RuleKind.Threshold) {
            return s.window == null || s.window.isEmpty();
        } else if (rule.kind() instanceof RuleKind.Absence) {
            return false;
        }
        return !s.problemOpen;
    }
}
