package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.EventRef;
import io.nocturne.telemetry.v1.TelemetryEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs the {@link RuleMatcher} on each telemetry record and forwards its matches keyed by
 * fingerprint, with the record's topic/partition/offset as evidence. An absence rule that
 * matches every message of a chatty device would otherwise send one heartbeat per message
 * through the repartition topic; a group's heartbeat is forwarded at most once per
 * {@link AlertEvaluator#ABSENCE_RESOLUTION_MILLIS} (the resolution silence is measured in).
 */
final class MatchProcessor implements Processor<String, TelemetryEvent, String, RuleMatch> {

    private static final int MAX_HEARTBEAT_KEYS = 100_000;

    private final RuleMatcher matcher;
    private ProcessorContext<String, RuleMatch> context;
    /**
     * Per task: when each absence group's heartbeat was last forwarded. Bounded, oldest
     * inserted out first (not access order: a lookup must not relink the entry on every
     * message); forgetting a live group only costs one heartbeat more.
     */
    private final java.util.LinkedHashMap<String, Long> heartbeats = new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
            return size() > MAX_HEARTBEAT_KEYS;
        }
    };
    /** The record being processed, and its evidence once a match needed it. */
    private Record<String, TelemetryEvent> record;
    private EventRef evidence;
    private final java.util.function.Supplier<EventRef> evidenceOfRecord = this::evidence;
    private final RuleMatcher.HeartbeatFilter thinHeartbeats = this::wantsHeartbeat;
    private final java.util.function.BiConsumer<String, RuleMatch> forward = this::forward;

    MatchProcessor(RuleMatcher matcher) {
        this.matcher = matcher;
    }

    @Override
    public void init(ProcessorContext<String, RuleMatch> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, TelemetryEvent> record) {
        if (record.value() == null) {
            return;
        }
        this.record = record;
        this.evidence = null;
        try {
            matcher.match(record.value(), evidenceOfRecord, thinHeartbeats, forward);
        } finally {
            this.record = null;
            this.evidence = null;
        }
    }

    /** Where the event is (topic, partition, offset), its id and receive time: built once per record, when first matched. */
    private EventRef evidence() {
        EventRef ref = evidence;
        if (ref == null) {
            TelemetryEvent event = record.value();
            EventRef.Builder b = EventRef.newBuilder().setEventId(event.getEventId())
                    .setReceiveTimeUnixNanos(event.getReceiveTimeUnixNanos());
            context.recordMetadata().ifPresent((RecordMetadata m) -> b.setTopic(m.topic()).setPartition(m.partition())
                    .setOffset(m.offset()));
            ref = b.build();
            evidence = ref;
        }
        return ref;
    }

    /** A group's heartbeat goes on at most once per {@link AlertEvaluator#ABSENCE_RESOLUTION_MILLIS} of event time. */
    private boolean wantsHeartbeat(String fingerprint) {
        long t = record.timestamp();
        Long last = heartbeats.get(fingerprint);
        if (last != null && t >= last && t < last + AlertEvaluator.ABSENCE_RESOLUTION_MILLIS) {
            return false;
        }
        heartbeats.put(fingerprint, t);
        return true;
    }

    private void forward(String fingerprint, RuleMatch match) {
        context.forward(new Record<>(fingerprint, match, record.timestamp()));
    }
}
