package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.EventRef;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine is killed with SIGKILL mid-window and restarted (same application id and state
 * directory): the window state committed before the kill is restored from its changelog, the
 * events sent while it was down are counted with it, the alert fires once; killed again while
 * firing, the next instance resolves the same episode. Every transition on nocturne.alerts
 * (read_committed) is there once, and its id names its episode.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class EngineKillRestartTest {

    private final List<Process> processes = new ArrayList<>();

    @Test
    void killedMidWindowLosesNothingAndEmitsEachTransitionOnce(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                  - name: g
                    rules:
                      - name: ErrorBurst
                        match: syslog.severity <= 3
                        window: 10s
                        threshold: 5
                """);
        String syslog = KafkaBroker.uniqueTopic("syslog");
        String traps = KafkaBroker.uniqueTopic("traps");
        String flows = KafkaBroker.uniqueTopic("flows");
        String alerts = KafkaBroker.uniqueTopic("alerts");
        String incidents = KafkaBroker.uniqueTopic("incidents");
        for (String t : List.of(syslog, traps, flows, alerts, incidents)) {
            kafka.createTopic(t, t.equals(syslog) ? 2 : 1);
        }
        String appId = KafkaBroker.uniqueTopic("engine");
        Path state = dir.resolve("state");
        List<String> args = List.of(kafka.bootstrapServers(), rules.toString(), state.toString(), appId, syslog, traps,
                flows, alerts, incidents);

        Process a = start(args, dir.resolve("a.log"));
        long t0 = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                send(producer, syslog, "e" + i, t0 + i);
            }
            // Mid-window: the three events are counted and committed (input offsets, repartition
            // offsets and the window's changelog in one transaction), the alert is not firing.
            awaitCommitted(kafka, appId, syslog, 3);
            awaitCommitted(kafka, appId, appId + "-rule-matches-repartition", 3);
            kill(a);

            for (int i = 3; i < 5; i++) {
                send(producer, syslog, "e" + i, t0 + i);
            }
        }
        Process b = start(args, dir.resolve("b.log"));
        ProtobufSerde<AlertTransition> serde = ProtobufSerde.protobuf(AlertTransition.getDefaultInstance());
        List<AlertTransition> seen = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, AlertTransition> consumer = kafka.consumer(serde.deserializer())) {
            consumer.subscribe(Set.of(alerts));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return !seen.isEmpty();
            });
            kill(b); // firing, and killed again
            start(args, dir.resolve("c.log"));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(t -> t.getState() == AlertState.ALERT_STATE_RESOLVED);
            });
            // Anything a replay would have added arrives with the resolution's transaction or before it.
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> seen.add(r.value()));
        }

        String fp = Fingerprint.of("ErrorBurst", Map.of("device", "dev1"));
        long fifth = t0 + 4;
        assertThat(seen).extracting(AlertTransition::getTransitionId)
                .containsExactly(fp + ":firing:" + fifth, fp + ":resolved:" + fifth);
        AlertTransition firing = seen.get(0);
        assertThat(firing.getState()).isEqualTo(AlertState.ALERT_STATE_FIRING);
        assertThat(firing.getValue()).isEqualTo(5.0);
        assertThat(firing.getActiveSinceUnixNanos()).isEqualTo(fifth * 1_000_000L);
        // Evidence: the five events, three of them counted before the kill.
        assertThat(firing.getEvidenceList()).extracting(EventRef::getEventId).containsExactly("e0", "e1", "e2", "e3", "e4");
        assertThat(firing.getEvidenceList()).extracting(EventRef::getOffset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(firing.getEvidenceList()).extracting(EventRef::getTopic).containsOnly(syslog);
        AlertTransition resolved = seen.get(1);
        assertThat(resolved.getState()).isEqualTo(AlertState.ALERT_STATE_RESOLVED);
        assertThat(resolved.getActiveSinceUnixNanos()).isEqualTo(fifth * 1_000_000L);
        assertThat(resolved.getResolvedAtUnixNanos()).isGreaterThanOrEqualTo((fifth + 10_000) * 1_000_000L);
    }

    private Process start(List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                EngineProcess.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (Exception ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> lines.contains("STATE RUNNING") || !p.isAlive());
        assertThat(p.isAlive()).as("engine process alive (log %s)", log).isTrue();
        return p;
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
        p.waitFor();
    }

    private static void awaitCommitted(KafkaBroker kafka, String group, String topic, long expected) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum() >= expected;
            });
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String id, long at) throws Exception {
        TelemetryEvent e = TelemetryEvent.newBuilder().setEventId(id).setReceiveTimeUnixNanos(at * 1_000_000L)
                .setDevice(DeviceIdentity.newBuilder().setName("dev1"))
                .setSyslog(SyslogMessage.newBuilder().setSeverity(3).setMessage("error " + id)).build();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance()).serialize(headers, e);
        producer.send(new ProducerRecord<>(topic, null, at, "192.0.2.1", value, headers)).get();
    }

    @org.junit.jupiter.api.AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            kill(p);
        }
    }
}
