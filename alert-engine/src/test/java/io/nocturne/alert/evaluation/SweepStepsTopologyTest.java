package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.rules.RuleFileLoader;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.Topics;
import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep in steps through the real topology and its RocksDB store: each
 * {@code interval / 16} of wall-clock time sweeps the next part of the store in key order, a
 * longer gap the whole rest of the round, and every state is swept exactly once per round.
 */
class SweepStepsTopologyTest {

    @Test
    void eachPunctuationSweepsTheSlicesDueAndALongGapAWholeRound(@TempDir Path dir) throws Exception {
        RuleSet rules = new RuleSet(RuleFileLoader.parse("t.yml", """
                groups:
                  - name: g
                    rules:
                      - name: Changed
                        kind: event
                        source: syslog
                        match: syslog.app_name == "cfg"
                        group_by: [device]
                        resolve_after: 1s
                """), 1);
        Map<RuleSource, Topic> sources = new EnumMap<>(RuleSource.class);
        sources.put(RuleSource.SYSLOG, Topics.SYSLOG);
        sources.put(RuleSource.TRAPS, Topics.TRAPS);
        sources.put(RuleSource.FLOWS, Topics.FLOWS);
        // One step per second.
        var topology = EvaluationTopology.build(() -> rules, sources, Topics.ALERTS, Topics.INCIDENTS,
                new EvaluationTopology.Settings(Duration.ofSeconds(AlertEvaluator.SWEEP_STEPS), Duration.ofMinutes(5), 1),
                new EvaluationMetrics(new SimpleMeterRegistry()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sliced-sweep");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        Instant start = Instant.parse("2026-11-28T00:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, start)) {
            ProtobufSerde<TelemetryEvent> events = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
            TestInputTopic<String, TelemetryEvent> syslog = driver.createInputTopic(Topics.SYSLOG.name(), new StringSerializer(),
                    events.serializer());
            TestOutputTopic<String, AlertTransition> alerts = driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                    ProtobufSerde.protobuf(AlertTransition.getDefaultInstance()).deserializer());
            Set<String> all = new TreeSet<>();
            for (int d = 0; d < 400; d++) {
                syslog.pipeInput("10.0.0.1", TelemetryEvent.newBuilder().setEventId("e" + d)
                        .setExporter(Endpoint.newBuilder().setAddress("10.0.0.1"))
                        .setReceiveTimeUnixNanos(start.toEpochMilli() * 1_000_000L)
                        .setDevice(DeviceIdentity.newBuilder().setName("sw" + d))
                        .setSyslog(SyslogMessage.newBuilder().setAppName("cfg").setMessage("changed")).build(), start);
                all.add(Fingerprint.of("Changed", Map.of("device", "sw" + d)));
            }
            assertThat(resolved(alerts, AlertState.ALERT_STATE_FIRING)).hasSize(400);

            // Every alert is due to resolve; each second sweeps the next step's range of keys (the
            // first round: by the leading hex digits), in key order.
            List<String> sorted = new ArrayList<>(all);
            List<String> done = new ArrayList<>();
            for (int step = 0; step < 20; step++) {
                driver.advanceWallClockTime(Duration.ofSeconds(1));
                List<String> now = resolved(alerts, AlertState.ALERT_STATE_RESOLVED);
                String[] range = AlertEvaluator.SweepRound.firstRoundRange(step);
                assertThat(now).containsExactlyElementsOf(sorted.stream()
                        .filter(fp -> (range[0] == null || fp.compareTo(range[0]) >= 0) && (range[1] == null || fp.compareTo(range[1]) < 0))
                        .toList());
                done.addAll(now);
            }
            assertThat(done).isNotEmpty().isEqualTo(sorted.subList(0, done.size()));
            // Half a step: nothing is due.
            driver.advanceWallClockTime(Duration.ofMillis(500));
            assertThat(resolved(alerts, AlertState.ALERT_STATE_RESOLVED)).isEmpty();
            // A gap longer than the interval: the rest of the round at once, nothing twice.
            driver.advanceWallClockTime(Duration.ofSeconds(2L * AlertEvaluator.SWEEP_STEPS));
            List<String> rest = resolved(alerts, AlertState.ALERT_STATE_RESOLVED);
            done.addAll(rest);
            assertThat(done).isEqualTo(sorted);
            driver.advanceWallClockTime(Duration.ofSeconds(2L * AlertEvaluator.SWEEP_STEPS));
            assertThat(alerts.readKeyValuesToList()).isEmpty();
        }
    }

    private static List<String> resolved(TestOutputTopic<String, AlertTransition> alerts, AlertState state) {
        List<String> keys = new ArrayList<>();
        for (KeyValue<String, AlertTransition> kv : alerts.readKeyValuesToList()) {
            assertThat(kv.value.getState()).isEqualTo(state);
            keys.add(kv.key);
        }
        return keys;
    }
}
