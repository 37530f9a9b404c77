package io.nocturne.alert.evaluation;

import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.alert.incidents.IncidentProcessor;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.Topic;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert engine's Kafka Streams topology:
 *
 * <pre>
 * nocturne.syslog (and traps, flows: whatever sources the rules use)
 *   → flatMap: RuleMatcher (which rules match, keyed by fingerprint of rule + group labels)
 *   → repartition "rule-matches" (one (rule, group) lives on one task)
 *   → RuleWindowProcessor [store rule-windows]
 *   → nocturne.alerts (AlertTransition, key = fingerprint)
 *
 * nocturne.alerts
 *   → IncidentProcessor [stores incidents, incident-latest]
 *   → nocturne.incidents (Incident, key = incident id, header nocturne-incident-change)
 * </pre>
 *
 * Every store is persistent and changelogged, so a restarted or moved task resumes its
 * windows and incidents where they were.
 */
public final class EvaluationTopology {

    private EvaluationTopology() {
    }

    public static Topology build(List<Rule> rules, Map<RuleSource, Topic> sources, Topic alerts, Topic incidents,
                                 Duration evaluationInterval, MeterRegistry registry) {
        StreamsBuilder builder = new StreamsBuilder();
        ProtobufSerde<TelemetryEvent> eventSerde = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(),
                sources.getOrDefault(RuleSource.SYSLOG, alerts).wireFormat());
        ProtobufSerde<AlertTransition> alertSerde = new ProtobufSerde<>(AlertTransition.getDefaultInstance(), alerts.wireFormat());
        ProtobufSerde<Incident> incidentSerde = new ProtobufSerde<>(Incident.getDefaultInstance(), incidents.wireFormat());

        List<String> sourceTopics = rules.stream().map(Rule::source).distinct().map(s -> sources.get(s).name()).toList();
        if (!sourceTopics.isEmpty()) {
            RuleMatcher matcher = new RuleMatcher(rules, registry);
            Map<String, Rule> byName = new LinkedHashMap<>();
            rules.forEach(r -> byName.put(r.name(), r));
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(RuleWindowProcessor.STORE), Serdes.String(), WindowState.SERDE));
            KStream<String, TelemetryEvent> events = builder.stream(sourceTopics,
                    Consumed.with(Serdes.String(), eventSerde).withName("telemetry-source"));
            events.flatMap((exporter, event) -> matcher.matches(event))
                    .repartition(Repartitioned.with(Serdes.String(), RuleMatch.SERDE).withName("rule-matches"))
                    .process(() -> new RuleWindowProcessor(byName, evaluationInterval, System::currentTimeMillis),
                            RuleWindowProcessor.STORE)
                    .to(alerts.name(), Produced.with(Serdes.String(), alertSerde));
        }

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IncidentProcessor.BY_ID_STORE), Serdes.String(), incidentSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IncidentProcessor.LATEST_BY_FINGERPRINT_STORE), Serdes.String(), Serdes.String()));
        builder.stream(alerts.name(), Consumed.with(Serdes.String(), alertSerde).withName("alerts-source"))
                .process(IncidentProcessor::new, IncidentProcessor.BY_ID_STORE, IncidentProcessor.LATEST_BY_FINGERPRINT_STORE)
                .to(incidents.name(), Produced.with(Serdes.String(), incidentSerde));
        return builder.build();
    }
}
