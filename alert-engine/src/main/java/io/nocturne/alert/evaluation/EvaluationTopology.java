package io.nocturne.alert.evaluation;

import io.nocturne.alert.incidents.IncidentProcessor;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.Topic;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The alert engine's Kafka Streams topology. It is fixed: every telemetry source is read
 * whatever the rules, and the processors read the current {@link RuleSet} on each record,
 * so rules change at run time without rebuilding (or restarting) anything.
 *
 * <pre>
 * nocturne.syslog, nocturne.traps, nocturne.flows
 *   → MatchProcessor (RuleMatcher: indexed candidates, CEL; key = fingerprint of rule + group labels)
 *   → repartition "rule-matches" (murmur2 of the fingerprint: one (rule, group) lives on one task)
 *   → RuleStateProcessor [store rule-state] (AlertEvaluator; wall-clock sweep)
 *   → nocturne.alerts (AlertTransition, key = fingerprint)
 *
 * nocturne.alerts
 *   → IncidentProcessor [stores incidents, incident-latest]
 *   → nocturne.incidents (Incident, key = incident id, header nocturne-incident-change)
 * </pre>
 *
 * Every store is persistent and changelogged, so a restarted or moved task resumes its
 * windows, alerts and incidents where the last commit left them.
 */
public final class EvaluationTopology {

    /**
     * How evaluation runs.
     *
     * @param inMemoryState keep rule state in memory instead of RocksDB (still changelogged, so
     *                      still restored after a crash; bounded by the heap, restored whole)
     */
    public record Settings(Duration evaluationInterval, Duration allowedLateness, int partitions, boolean inMemoryState) {
        public Settings(Duration evaluationInterval, Duration allowedLateness, int partitions) {
            this(evaluationInterval, allowedLateness, partitions, false);
        }
    }

    private EvaluationTopology() {
    }

    public static Topology build(Supplier<RuleSet> rules, Map<RuleSource, Topic> sources, Topic alerts, Topic incidents,
                                 Settings settings, EvaluationMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        ProtobufSerde<TelemetryEvent> eventSerde = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(),
                sources.get(RuleSource.SYSLOG).wireFormat());
        ProtobufSerde<AlertTransition> alertSerde = new ProtobufSerde<>(AlertTransition.getDefaultInstance(), alerts.wireFormat());
        ProtobufSerde<Incident> incidentSerde = new ProtobufSerde<>(Incident.getDefaultInstance(), incidents.wireFormat());

        RuleMatcher matcher = new RuleMatcher(rules, metrics);
        AlertEvaluator evaluator = new AlertEvaluator(rules, settings.evaluationInterval(), settings.allowedLateness(), metrics);
        // Cached: a busy key's many updates between two commits reach RocksDB and the changelog once.
        builder.addStateStore(Stores.keyValueStoreBuilder(settings.inMemoryState()
                        ? Stores.inMemoryKeyValueStore(AlertEvaluator.STORE) : Stores.persistentKeyValueStore(AlertEvaluator.STORE),
                Serdes.String(), AlertState.SERDE).withCachingEnabled());
        builder.stream(sources.values().stream().map(Topic::name).distinct().toList(),
                        Consumed.with(Serdes.String(), eventSerde).withName("telemetry-source"))
                .process(() -> new MatchProcessor(matcher))
                .repartition(Repartitioned.<String, RuleMatch>with(Serdes.String(), RuleMatch.SERDE)
                        .withName("rule-matches")
                        .withNumberOfPartitions(settings.partitions())
                        .withStreamPartitioner((topic, key, value, n) ->
                                Optional.of(Set.of(RuleStateProcessor.partitionFor(key, n)))))
                .process(() -> new RuleStateProcessor(evaluator, metrics, settings.evaluationInterval(),
                        settings.allowedLateness(), settings.partitions()), AlertEvaluator.STORE)
                .to(alerts.name(), Produced.with(Serdes.String(), alertSerde));

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
