package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An INFORM's Response-PDU means "stored": when Kafka refuses the event (here: the producer
 * may not send records this large), net-snmp's snmpinform gets no answer, times out and
 * exits non-zero; the refusal is counted and nothing reaches the topic.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SnmpInformNotStoredTest {

    @Test
    void anInformKafkaDidNotStoreIsNotAnswered(KafkaBroker kafka) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmpinform")), "net-snmp snmpinform not installed (package snmp)");
        String topic = KafkaBroker.uniqueTopic("traps");
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        // Every trap event is larger than this: the producer fails each record.
        // As a flat property, the way -D and environment variables set it.
        cfg.put("nocturne.kafka.producer.max.request.size", 64);
        cfg.put("nocturne.topics.traps.name", topic);
        cfg.put("nocturne.topics.traps.partitions", 1);
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        cfg.put("nocturne.ingest.listeners.syslog-udp.enabled", false);
        cfg.put("nocturne.ingest.listeners.syslog-tcp.enabled", false);
        cfg.put("nocturne.ingest.listeners.snmp-traps.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.snmp-traps.port", 0);
        cfg.put("nocturne.ingest.listeners.snmp-traps.sockets", 1);
        Path confDir = Files.createTempDirectory("snmpconf");
        Files.writeString(confDir.resolve("snmp.conf"), "noPersistentLoad yes\nnoPersistentSave yes\n");
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
            int port = ctx.getBean(IngestService.class).boundListeners().get("snmp-traps").getPort();

            ProcessBuilder pb = new ProcessBuilder("snmpinform", "-v", "2c", "-c", "public", "-t", "1", "-r", "1",
                    "udp:127.0.0.1:" + port, "777", "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.2.1.2.2.1.1.3", "i", "3")
                    .redirectErrorStream(true);
            pb.environment().put("SNMPCONFPATH", confDir.toString());
            pb.environment().put("MIBS", "");
            Process p = pb.start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("snmpinform must not be acknowledged: %s", out).isNotZero();
            assertThat(out).containsIgnoringCase("timeout");

            String metrics = scrape(ctx);
            assertThat(value(metrics, "nocturne_ingest_snmp_informs_unanswered_total{listener=\"snmp-traps\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "nocturne_ingest_snmp_inform_responses_total{listener=\"snmp-traps\"}")).isZero();
            assertThat(metrics).containsPattern(
                    "nocturne_ingest_publish_failures_total\\{reason=\"record_too_large\",topic=\"" + topic + "\"} [1-9]");
            assertThat(kafka.read(topic, ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance()), 1,
                    Duration.ofSeconds(3))).isEmpty();
        }
    }

    private static String scrape(ApplicationContext ctx) {
        try (HttpClient client = HttpClient.create(ctx.getBean(EmbeddedServer.class).getURL())) {
            return client.toBlocking().retrieve("/prometheus");
        }
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
