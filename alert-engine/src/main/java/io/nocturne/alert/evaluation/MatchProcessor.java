package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.EventRef;
import io.nocturne.telemetry.v1.TelemetryEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs the {@link RuleMatcher} on each telemetry record and forwards its matches keyed by
 * fingerprint, with the record's topic/partition/offset as evidence.
 */
final class MatchProcessor implements Processor<String, TelemetryEvent, String, RuleMatch> {

    private final RuleMatcher matcher;
    private ProcessorContext<String, RuleMatch> context;

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
        matcher.match(event, evidence, (fp, match) -> context.forward(new Record<>(fp, match, record.timestamp())));
    }
}
