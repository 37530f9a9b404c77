package io.nocturne.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.ingest.IngestService;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the harness briefly against a real ingest and a real broker, so it cannot rot:
 * small counts, a modest rate; asserts the accounting, never a speed.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class HarnessTest {

    @Test
    void accountsForEveryMessageOfASyslogUdpRun(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        String topic = KafkaBroker.uniqueTopic("syslog");
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "nocturne.alert-engine.enabled", false, // bench also carries alert-engine (rule benchmarks)
                "nocturne.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "nocturne.topics.syslog.name", topic,
                "nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"),
                "nocturne.ingest.listeners.syslog-udp.bind-address", "127.0.0.1",
                "nocturne.ingest.listeners.syslog-udp.port", 0,
                "nocturne.ingest.listeners.syslog-tcp.bind-address", "127.0.0.1",
                "nocturne.ingest.listeners.syslog-tcp.port", 0)).getApplicationContext()) {
            IngestService ingest = ctx.getBean(IngestService.class);
            await().atMost(Duration.ofSeconds(60)).until(ingest::allListenersUp);
            int port = ingest.boundListeners().get("syslog-udp").getPort();
            URI metrics = ctx.getBean(EmbeddedServer.class).getURI().resolve("/prometheus");
            Path json = dir.resolve("report.json");

            LoadOptions options = new LoadOptions(Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    kafka.bootstrapServers(), topic, 2_000, 3_000, Duration.ofSeconds(60), 4, metrics, "syslog-udp",
                    Duration.ofSeconds(10), json);
            LoadReport report = LoadRun.run("syslog-udp", options);

            assertThat(report.sent()).isEqualTo(3_000);
            assertThat(report.accounted()).as(report.table()).isTrue();
            assertThat(report.duplicates()).isZero();
            // The harness numbers records and packets as each protocol says: ingest sees no gap.
            PrometheusScrape counters = PrometheusScrape.fetch(metrics, null);
            assertThat(counters.get("nocturne_ingest_flow_sequence_lost_total")
                    + counters.get("nocturne_ingest_sflow_sequence_lost_total")).isZero();
            // Whatever the kernel dropped, ingest received the rest, decoded and published all of it.
            assertThat(report.ingestReceived() + Math.max(0, report.kernelRcvbufErrors())).isEqualTo(3_000);
            assertThat(report.ingestDecoded()).isEqualTo(report.ingestReceived());
            assertThat(report.ingestDeadLettered()).isZero();
            assertThat(report.ingestPublished()).isEqualTo(report.ingestDecoded());
            assertThat(report.readBack()).isEqualTo(report.ingestPublished());
            assertThat(report.sendToIngest().getTotalCount()).isEqualTo(report.readBack());
            assertThat(report.sendToReadback().getTotalCount()).isEqualTo(report.readBack());
            assertThat(report.table()).contains("accounted: every message explained");
            assertThat(Files.readString(json)).contains("\"sent\": 3000", "\"accounted\": true", "\"latency_send_to_readback_ms\"");
        }
    }

    /**
     * The SNMP scenarios against a trap listener: v2c traps, v3 authPriv traps (the harness's
     * user configured as the docs say) and INFORMs, each accounted for; every INFORM answered
     * and timed.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(TrapMix.Kind.class)
    void accountsForEveryTrapOfAnSnmpRun(TrapMix.Kind kind, KafkaBroker kafka) throws Exception {
        String topic = KafkaBroker.uniqueTopic("traps");
        Map<String, Object> cfg = new java.util.HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.alert-engine.enabled", false); // bench also carries alert-engine (rule benchmarks)
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.traps.name", topic);
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        cfg.put("nocturne.ingest.listeners.syslog-udp.enabled", false);
        cfg.put("nocturne.ingest.listeners.syslog-tcp.enabled", false);
        cfg.put("nocturne.ingest.listeners.sflow.enabled", false);
        cfg.put("nocturne.ingest.listeners.snmp-traps.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.snmp-traps.port", 0);
        cfg.put("nocturne.ingest.snmp.users." + TrapMix.V3_USER + ".auth-protocol", TrapMix.V3_AUTH);
        cfg.put("nocturne.ingest.snmp.users." + TrapMix.V3_USER + ".auth-passphrase", TrapMix.V3_AUTH_PASS);
        cfg.put("nocturne.ingest.snmp.users." + TrapMix.V3_USER + ".priv-protocol", TrapMix.V3_PRIV);
        cfg.put("nocturne.ingest.snmp.users." + TrapMix.V3_USER + ".priv-passphrase", TrapMix.V3_PRIV_PASS);
        cfg.put("nocturne.ingest.snmp.users." + TrapMix.V3_USER + ".engine-ids", java.util.List.of(TrapMix.DEVICE_ENGINE));
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext()) {
            IngestService ingest = ctx.getBean(IngestService.class);
            await().atMost(Duration.ofSeconds(60)).until(ingest::allListenersUp);
            int port = ingest.boundListeners().get("snmp-traps").getPort();
            URI metrics = ctx.getBean(EmbeddedServer.class).getURI().resolve("/prometheus");

            LoadOptions options = new LoadOptions(Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    kafka.bootstrapServers(), topic, 1_000, 1_000, Duration.ofSeconds(60), 4, metrics, "snmp-traps",
                    Duration.ofSeconds(10), null, false, kind, null);
            LoadReport report = LoadRun.run("snmp-" + kind.name().toLowerCase(java.util.Locale.ROOT), options);
            // v3 traps are encoded before the run with planned send times (offsets from its
            // start): a sanity bound that those were read back as times, not a threshold.
            assertThat(report.sendToIngest().getTotalCount()).isEqualTo(report.readBack());
            assertThat(report.sendToIngest().getMaxValue()).isLessThan(java.util.concurrent.TimeUnit.MINUTES.toNanos(10));

            assertThat(report.sent()).isEqualTo(1_000);
            assertThat(report.accounted()).as(report.table()).isTrue();
            assertThat(report.ingestDeadLettered()).isZero();
            assertThat(report.readBack()).isEqualTo(report.ingestPublished());
            if (kind == TrapMix.Kind.INFORM) {
                // Every INFORM that was stored was answered, and only those.
                assertThat(report.informsAnswered()).as(report.table()).isEqualTo(report.readBack());
                assertThat(report.informRoundTrip().getTotalCount()).isEqualTo(report.informsAnswered());
                assertThat(report.table()).contains("INFORM send → Response-PDU");
            } else {
                assertThat(report.informRoundTrip()).isNull();
            }
        }
    }

    /**
     * Flow runs of every kind: one flow per packet read back by full decoding, and 20 per
     * packet read back by the field-level fast path; templates refreshed, sequence numbers
     * without gaps, every flow accounted for.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, {1} per packet, read-back {2}")
    @org.junit.jupiter.params.provider.CsvSource({
            "NETFLOW_V5, 1, full", "NETFLOW_V9, 1, full", "IPFIX, 1, full", "SFLOW, 1, full",
            "NETFLOW_V5, 20, fast", "NETFLOW_V9, 20, after", "IPFIX, 20, fast", "SFLOW, 20, after"})
    void accountsForEveryFlowOfAFlowRun(FlowMix.Kind kind, int perPacket, String readback, KafkaBroker kafka) throws Exception {
        boolean deferred = "after".equals(readback);
        String topic = KafkaBroker.uniqueTopic("flows");
        String listener = kind == FlowMix.Kind.IPFIX ? "ipfix-udp" : kind == FlowMix.Kind.SFLOW ? "sflow" : "netflow-udp";
        Map<String, Object> cfg = new java.util.HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.alert-engine.enabled", false); // bench also carries alert-engine (rule benchmarks)
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.flows.name", topic);
        cfg.put("nocturne.topics.flow-templates.name", KafkaBroker.uniqueTopic("templates"));
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        for (String off : new String[] {"syslog-udp", "syslog-tcp", "snmp-traps", "sflow", "netflow-udp", "ipfix-udp"}) {
            if (!off.equals(listener)) {
                cfg.put("nocturne.ingest.listeners." + off + ".enabled", false);
            }
        }
        cfg.put("nocturne.ingest.listeners." + listener + ".bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners." + listener + ".port", 0);
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext()) {
            IngestService ingest = ctx.getBean(IngestService.class);
            await().atMost(Duration.ofSeconds(60)).until(ingest::allListenersUp);
            int port = ingest.boundListeners().get(listener).getPort();
            URI metrics = ctx.getBean(EmbeddedServer.class).getURI().resolve("/prometheus");

            LoadOptions options = new LoadOptions(Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    kafka.bootstrapServers(), topic, 1_000, 1_000, Duration.ofSeconds(60), 4, metrics, listener,
                    Duration.ofSeconds(10), null, !"full".equals(readback), null, kind, perPacket, deferred);
            LoadReport report = LoadRun.run("flow-" + kind.name().toLowerCase(java.util.Locale.ROOT), options);

            assertThat(report.sent()).isEqualTo(1_000);
            assertThat(report.ingestReceived()).as("datagrams").isEqualTo(1_000 / perPacket);
            assertThat(report.ingestDecoded()).as("flows").isEqualTo(1_000);
            assertThat(report.duplicates()).isZero();
            // The harness numbers records and packets as each protocol says: ingest sees no gap.
            PrometheusScrape counters = PrometheusScrape.fetch(metrics, null);
            assertThat(counters.get("nocturne_ingest_flow_sequence_lost_total")
                    + counters.get("nocturne_ingest_sflow_sequence_lost_total")).isZero();
            assertThat(report.accounted()).as(report.table()).isTrue();
            assertThat(report.ingestDeadLettered()).isZero();
            assertThat(report.readBack()).as(report.table()).isEqualTo(report.ingestPublished());
            assertThat(report.sendToIngest().getTotalCount()).isEqualTo(report.readBack());
            // Deferred: the harness read nothing while sending, so it times no Kafka leg.
            assertThat(report.sendToReadback().getTotalCount()).isEqualTo(deferred ? 0 : report.readBack());
            assertThat(report.deliverySeconds()).isPositive();
            // The marker's send time decoded right (sFlow carries it in the ports): a
            // sanity bound on decoding, not a performance threshold.
            assertThat(report.sendToIngest().getMaxValue()).isLessThan(java.util.concurrent.TimeUnit.MINUTES.toNanos(10));
        }
    }
}
