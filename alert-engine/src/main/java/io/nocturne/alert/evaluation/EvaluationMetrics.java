package io.nocturne.alert.evaluation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nocturne.alert.rules.RuleSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The evaluation's meters, Prometheus-named (base units, {@code _total} added by the
 * registry). Labels are bounded: {@code rule} by the rule files, {@code state} and
 * {@code severity} by the rules, {@code source} by the three streams.
 */
public final class EvaluationMetrics {

    private final MeterRegistry registry;
    private final Map<RuleSource, Counter> evaluated = new EnumMap<>(RuleSource.class);
    private final Map<String, Counter> matches = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
    /** Active alerts by "rule\0state\0severity", per task (each task reports its own keys at its sweep). */
    private final Map<String, Map<String, Long>> activeByTask = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> activeGauges = new ConcurrentHashMap<>();
    private final Map<String, Long> storeEntriesByTask = new ConcurrentHashMap<>();
    private final Counter late;
    private final Counter stale;
    private final Timer latency;

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RuleSource s : RuleSource.values()) {
            evaluated.put(s, Counter.builder("nocturne.alert.events.evaluated")
                    .description("Telemetry events the rule matcher evaluated, by source stream").tag("source", s.key())
                    .register(registry));
        }
        late = Counter.builder("nocturne.alert.late.events.dropped")
                .description("Matches older than the task's stream time minus allowed-lateness, not counted").register(registry);
        stale = Counter.builder("nocturne.alert.stale.matches.dropped")
                .description("Matches made under a rule version that a reload replaced or removed").register(registry);
        // Client-side quantiles: Micrometer keeps them in HdrHistogram-based time-windowed
        // histograms (the last ~2 minutes). Prometheus 1.x cannot carry quantiles and buckets
        // on one meter; quantiles say what an operator asks ("p99 right now").
        latency = Timer.builder("nocturne.alert.evaluation.latency")
                .description("From an event's receive time at ingest to the alert transition it caused")
                .publishPercentiles(0.5, 0.9, 0.99, 0.999)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry);
        Gauge.builder("nocturne.alert.state.entries", storeEntriesByTask,
                        m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("Entries in the rule-state store on this instance (approximate, per sweep)")
                .tag("store", AlertEvaluator.STORE).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void evaluated(RuleSource source) {
        evaluated.get(source).increment();
    }

    void matched(String rule) {
        matches.computeIfAbsent(rule, r -> Counter.builder("nocturne.alert.rule.matches")
                .description("Events that matched a rule's predicate").tag("rule", r).register(registry)).increment();
    }

    void matchError(String rule) {
        errors.computeIfAbsent(rule, r -> Counter.builder("nocturne.alert.rule.evaluation.errors")
                .description("Events on which a rule's predicate failed to evaluate (counted as no match)")
                .tag("rule", r).register(registry)).increment();
    }

    void late() {
        late.increment();
    }

    void stale() {
        stale.increment();
    }

    void transition(String rule, String state, String severity) {
        transitions.computeIfAbsent(rule + '\0' + state + '\0' + severity, k -> Counter.builder("nocturne.alert.transitions")
                .description("Alert transitions emitted to nocturne.alerts").tag("rule", rule).tag("state", state)
                .tag("severity", severity).register(registry)).increment();
    }

    void latency(long nanos) {
        if (nanos >= 0) {
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A task's sweep: its active alerts by (rule, state, severity), and its store size. */
    void sweep(String task, Map<String, Long> active, long storeEntries) {
        activeByTask.put(task, Map.copyOf(active));
        storeEntriesByTask.put(task, storeEntries);
        Map<String, Long> total = new java.util.HashMap<>();
        activeByTask.values().forEach(m -> m.forEach((k, v) -> total.merge(k, v, Long::sum)));
        for (String k : total.keySet()) {
            activeGauges.computeIfAbsent(k, key -> {
                String[] p = key.split("\0", -1);
                AtomicLong holder = new AtomicLong();
                Gauge.builder("nocturne.alert.alerts", holder, AtomicLong::get)
                        .description("Alerts pending or firing now, by rule, state and severity")
                        .tag("rule", p[0]).tag("state", p[1]).tag("severity", p[2]).register(registry);
                return holder;
            });
        }
        activeGauges.forEach((k, holder) -> holder.set(total.getOrDefault(k, 0L)));
    }

    /** A task left this instance (rebalance, close): its alerts are no longer counted here. */
    void taskClosed(String task) {
        activeByTask.remove(task);
        storeEntriesByTask.remove(task);
    }

    Timer latencyTimer() {
        return latency;
    }
}
