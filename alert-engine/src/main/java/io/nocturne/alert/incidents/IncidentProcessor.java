package io.nocturne.alert.incidents;

import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.Incident;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Alert transitions (keyed by fingerprint) → incidents. Keeps the latest incident of each
 * fingerprint and every incident by id (the store the REST API reads), and publishes each
 * change keyed by incident id with a {@value #CHANGE_HEADER} header for the notifier.
 */
public final class IncidentProcessor implements Processor<String, AlertTransition, String, Incident> {

    public static final String BY_ID_STORE = "incidents";
    public static final String LATEST_BY_FINGERPRINT_STORE = "incident-latest";
    public static final String CHANGE_HEADER = "nocturne-incident-change";

    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, Incident> byId;
    private KeyValueStore<String, String> latestByFingerprint;

    @Override
    public void init(ProcessorContext<String, Incident> context) {
        this.context = context;
        this.byId = context.getStateStore(BY_ID_STORE);
        this.latestByFingerprint = context.getStateStore(LATEST_BY_FINGERPRINT_STORE);
    }

    @Override
    public void process(Record<String, AlertTransition> record) {
        AlertTransition t = record.value();
        if (t == null) {
            return;
        }
        String latestId = latestByFingerprint.get(t.getFingerprint());
        Incident latest = latestId == null ? null : byId.get(latestId);
        IncidentLifecycle.apply(latest, t).ifPresent(outcome -> {
            Incident incident = outcome.incident();
            byId.put(incident.getId(), incident);
            latestByFingerprint.put(incident.getFingerprint(), incident.getId());
            RecordHeaders headers = new RecordHeaders();
            headers.add(CHANGE_HEADER, outcome.change().label().getBytes(StandardCharsets.UTF_8));
            context.forward(new Record<>(incident.getId(), incident, record.timestamp(), headers));
        });
    }
}
