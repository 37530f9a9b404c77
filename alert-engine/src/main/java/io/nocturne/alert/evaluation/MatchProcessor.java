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
    /** Per task: when each absence group's heartbeat was last forwarded (bounded; forgetting only costs a heartbeat). */
    private final java.util.LinkedHashMap<String, Long> heartbeats = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
            return size() > MAX_HEARTBEAT_KEYS;
        }
    };

    MatchProcessor(RuleMatcher matcher) {
        this.matcher = matcher;
    }

    @Override
    public void init(ProcessorContext<String, RuleMatch> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, TelemetryEvent> record) {
        TelemetryEvent event = record.value();
        if (event == null) {
            return;
        }
        EventRef.Builder ref = EventRef.newBuilder().setEventId(event.getEventId())
                .setReceiveTimeUnixNanos(event.getReceiveTimeUnixNanos());
        context.recordMetadata().ifPresent((RecordMetadata m) -> ref.setTopic(m.topic()).setPartition(m.partition())
                .setOffset(m.offset()));
        EventRef evidence = ref.build();
        long t = record.timestamp();
        matcher.match(event, evidence, (fp, match) -> {
            if (matcher.heartbeat(match)) {
                Long last = heartbeats.get(fp);
                if (last != null && t >= last && t < last + AlertEvaluator.ABSENCE_RESOLUTION_MILLIS) {
                    return;
                }
                heartbeats.put(fp, t);
            }
            context.forward(new Record<>(fp, match, t));
        });
    }
}
