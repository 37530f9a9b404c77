package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.AlertTransition;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Step two, on the task that owns the (rule, group) key: the {@link AlertEvaluator} over the
 * fault-tolerant {@value AlertEvaluator#STORE} store. Events older than the task's stream
 * time minus the allowed lateness are dropped (counted); wall-clock punctuations sweep the
 * store (absence, {@code for}, expiry, refreshes) a step at a time, each state once per
 * {@code evaluationInterval}.
 */
final class RuleStateProcessor implements Processor<String, RuleMatch, String, AlertTransition> {

    /** Decoded states kept per task (write-through; see {@link StateCache}). */
    static final int CACHED_STATES = 10_000;

    private final AlertEvaluator evaluator;
    private final EvaluationMetrics metrics;
    private final long allowedLatenessMillis;
    private final int partitions;
    private ProcessorContext<String, AlertTransition> context;
    private AlertEvaluator.StateAccess access;
    private String task;
    private final long stepMillis;
    private final AlertEvaluator.SweepRound round = new AlertEvaluator.SweepRound();
    private final java.util.function.Predicate<String> owns;
    private long sweepClock;

    RuleStateProcessor(AlertEvaluator evaluator, EvaluationMetrics metrics, Duration evaluationInterval,
                       Duration allowedLateness, int partitions) {
        this.evaluator = evaluator;
        this.metrics = metrics;
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.partitions = partitions;
        this.stepMillis = Math.max(1, evaluationInterval.toMillis() / AlertEvaluator.SWEEP_STEPS);
        this.owns = fp -> partitionFor(fp, partitions) == context.taskId().partition();
    }

    /** The partition a key goes to: murmur2 of its UTF-8 bytes, as the repartition's partitioner does. */
    static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void init(ProcessorContext<String, AlertTransition> context) {
        this.context = context;
        this.task = context.taskId().toString();
        KeyValueStore<String, AlertState> store = context.getStateStore(AlertEvaluator.STORE);
        this.access = new StateCache(new AlertEvaluator.StateAccess() {
            @Override
            public AlertState get(String fingerprint) {
                return store.get(fingerprint);
            }

            @Override
            public void put(String fingerprint, AlertState state) {
                store.put(fingerprint, state);
            }

            @Override
            public void delete(String fingerprint) {
                store.delete(fingerprint);
            }

            @Override
            public void forEach(BiConsumer<String, AlertState> visitor) {
                forEach(null, null, visitor);
            }

            @Override
            public void forEach(String from, String to, BiConsumer<String, AlertState> visitor) {
                // A bounded range also bounds what the store's cache copies for the iterator.
                try (KeyValueIterator<String, AlertState> it = store.range(from, to)) {
                    while (it.hasNext()) {
                        if (to != null && to.equals(it.peekNextKey())) {
                            return; // range() includes its upper bound; the next step starts there
                        }
                        KeyValue<String, AlertState> kv = it.next();
                        visitor.accept(kv.key, kv.value);
                    }
                }
            }
        }, CACHED_STATES);
        // The sweep, spread over the interval (AlertEvaluator.SWEEP_STEPS): a punctuation every
        // interval / steps sweeps the steps due since the last one — one in steady state; after a
        // long stall or a jump of the clock, the rest of the round — so every state is swept
        // once per evaluationInterval and the thread never stops for the whole store.
        sweepClock = context.currentSystemTimeMs();
        context.schedule(Duration.ofMillis(stepMillis), PunctuationType.WALL_CLOCK_TIME, ignored -> sweep(context.currentSystemTimeMs()));
    }

    private void sweep(long now) {
        if (now < sweepClock) {
            sweepClock = now; // the wall clock went back: count steps from here, do not wait for it to catch up
            return;
        }
        long due = (now - sweepClock) / stepMillis;
        if (due == 0) {
            return;
        }
        if (due >= AlertEvaluator.SWEEP_STEPS) {
            sweepClock = now;
        } else {
            sweepClock += due * stepMillis;
        }
        for (long i = 0; i < due; i++) {
            if (evaluator.sweepStep(now, access, this::forward, owns, task, round)) {
                return; // a round ended: the next one starts at the next punctuation
            }
        }
    }

    @Override
    public void process(Record<String, RuleMatch> record) {
        RuleMatch match = record.value();
        if (match == null) {
            return;
        }
        if (record.timestamp() < context.currentStreamTimeMs() - allowedLatenessMillis) {
            metrics.late();
            return;
        }
        evaluator.onMatch(record.key(), match, record.timestamp(), context.currentSystemTimeMs(), access, this::forward);
    }

    private void forward(String fingerprint, AlertTransition transition, RuleMatch cause) {
        if (cause != null) {
            metrics.latency(System.currentTimeMillis() * 1_000_000L - cause.evidence().getReceiveTimeUnixNanos());
        }
        context.forward(new Record<>(fingerprint, transition, transition.getEvaluatedAtUnixNanos() / 1_000_000L));
    }

    @Override
    public void close() {
        metrics.taskClosed(task);
    }
}
