package io.nocturne.alert.evaluation;

import io.nocturne.alert.rules.AnnotationTemplate;
import io.nocturne.alert.rules.Rule;
import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step two: for each (rule, group) key, the sliding-window count in a fault-tolerant state
 * store; emits {@code FIRING} when the count reaches the threshold, refreshes while it keeps
 * firing, and {@code RESOLVED} when the window has dropped below the threshold (checked on
 * every event and every {@code evaluationInterval} of wall-clock time, so a device that
 * falls silent still resolves).
 */
public final class RuleWindowProcessor implements Processor<String, RuleMatch, String, AlertTransition> {

    public static final String STORE = "rule-windows";

    private final Map<String, Rule> rules;
    private final Duration evaluationInterval;
    private final LongSupplier wallClock;
    private ProcessorContext<String, AlertTransition> context;
    private KeyValueStore<String, WindowState> store;

    public RuleWindowProcessor(Map<String, Rule> rules, Duration evaluationInterval, LongSupplier wallClock) {
        this.rules = rules;
        this.evaluationInterval = evaluationInterval;
        this.wallClock = wallClock;
    }

    @Override
    public void init(ProcessorContext<String, AlertTransition> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        context.schedule(evaluationInterval, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, RuleMatch> record) {
        RuleMatch match = record.value();
        if (match == null) {
            return;
        }
        Rule rule = rules.get(match.rule());
        if (rule == null) {
            return; // the rule was removed since the match was made
        }
        long windowMillis = rule.window().toMillis();
        WindowState state = store.get(record.key());
        if (state == null || state.windowMillis() != windowMillis) {
            WindowState fresh = new WindowState(rule.name(), match.groupLabels(), windowMillis);
            if (state != null && state.isFiring()) {
                // The rule's window changed across a restart: keep the alert firing so the
                // sweep resolves it properly instead of leaving its incident open forever.
                fresh.fire(state.activeSinceMillis());
            }
            state = fresh;
        }
        state.add(record.timestamp(), match.eventId());
        long count = state.countAt(record.timestamp());
        if (!state.isFiring() && count >= rule.threshold()) {
            state.fire(record.timestamp());
            forward(record.key(), rule, match.groupLabels(), state, AlertState.ALERT_STATE_FIRING, count, record.timestamp());
        }
        store.put(record.key(), state);
    }

    /** Wall-clock sweep: resolve what went quiet, refresh what still fires, forget what is empty. */
    void sweep(long now) {
        List<KeyValue<String, WindowState>> updates = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        try (KeyValueIterator<String, WindowState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, WindowState> kv = it.next();
                WindowState state = kv.value;
                long count = state.countAt(Math.max(now, state.lastEventMillis()));
                Rule rule = rules.get(state.rule());
                if (rule == null) {
                    // The rule left the rule file: its alerts end, they do not hang firing forever.
                    if (state.isFiring()) {
                        forward(kv.key, removedRule(state), state.groupLabels(), state, AlertState.ALERT_STATE_RESOLVED, count, now);
                    }
                    deletes.add(kv.key);
                } else if (state.isFiring() && count < rule.threshold()) {
                    forward(kv.key, rule, state.groupLabels(), state, AlertState.ALERT_STATE_RESOLVED, count, now);
                    state.resolve();
                    updates.add(KeyValue.pair(kv.key, state));
                } else if (state.isFiring() && state.changedSinceEmit()) {
                    forward(kv.key, rule, state.groupLabels(), state, AlertState.ALERT_STATE_FIRING, count, now);
                    updates.add(KeyValue.pair(kv.key, state));
                } else if (!state.isFiring() && state.isEmpty()) {
                    deletes.add(kv.key);
                }
            }
        }
        updates.forEach(kv -> store.put(kv.key, kv.value));
        deletes.forEach(store::delete);
    }

    private void forward(String fingerprint, Rule rule, Map<String, String> groupLabels, WindowState state,
                         AlertState alertState, long count, long at) {
        Map<String, String> labels = new TreeMap<>(rule.labels());
        labels.putAll(groupLabels);
        labels.put("alertname", rule.name());
        labels.put("severity", rule.severity());
        AlertTransition.Builder t = AlertTransition.newBuilder()
                .setFingerprint(fingerprint)
                .setRule(rule.name())
                .setRuleGroup(rule.group())
                .setState(alertState)
                .putAllLabels(labels)
                .setValue(count)
                .setThreshold(rule.threshold())
                .setActiveSinceUnixNanos(state.activeSinceMillis() * 1_000_000L)
                .setEvaluatedAtUnixNanos(at * 1_000_000L)
                .setSeverity(rule.severity())
                .addAllSampleEventIds(state.samples());
        rule.annotations().forEach((k, v) -> t.putAnnotations(k, AnnotationTemplate.expand(v, labels, count, rule.threshold())));
        state.emitted();
        context.forward(new Record<>(fingerprint, t.build(), at));
    }

    /** A stand-in for a rule that is gone, to word its last RESOLVED transition. */
    private static Rule removedRule(WindowState state) {
        return new Rule("", state.rule(), io.nocturne.alert.rules.RuleSource.SYSLOG, null, List.copyOf(state.groupLabels().keySet()),
                Duration.ofMillis(state.windowMillis()), io.nocturne.alert.rules.Aggregate.COUNT, 0, "none", Map.of(),
                Map.of("summary", "rule " + state.rule() + " was removed"), "", 0);
    }
}
