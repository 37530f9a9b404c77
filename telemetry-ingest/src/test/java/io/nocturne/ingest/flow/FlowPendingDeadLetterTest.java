package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.set;
import static io.nocturne.ingest.flow.FlowPackets.v9;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Data whose template never comes: held, then dead-lettered with its bytes, and counted. */
@ExtendWith(EmbeddedKafkaExtension.class)
class FlowPendingDeadLetterTest {

    private static final ProtobufSerde<DeadLetter> DEAD = ProtobufSerde.protobuf(DeadLetter.getDefaultInstance());

    @Test
    void heldDataIsDeadLetteredAfterThePendingTimeoutAndCounted(KafkaBroker kafka) throws Exception {
        String dead = KafkaBroker.uniqueTopic("dead");
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.flows.name", KafkaBroker.uniqueTopic("flows"));
        cfg.put("nocturne.topics.flow-templates.name", KafkaBroker.uniqueTopic("flow-templates"));
        cfg.put("nocturne.topics.deadletter.name", dead);
        for (String off : List.of("syslog-udp", "syslog-tcp", "snmp-traps", "ipfix-udp")) {
            cfg.put("nocturne.ingest.listeners." + off + ".enabled", false);
        }
        cfg.put("nocturne.ingest.listeners.netflow-udp.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.netflow-udp.port", 0);
        cfg.put("nocturne.ingest.flow.pending-timeout", "1s");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, cfg)) {
            ApplicationContext ctx = server.getApplicationContext();
            await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
            int port = ctx.getBean(IngestService.class).boundListeners().get("netflow-udp").getPort();
            byte[] body = new FlowPackets().u32(1).u32(2).u32(3).bytes();
            byte[] packet = v9(9, 1, 1000, 1_700_000_000, set(999, body));
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                s.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), port));
            }
            // No further packet: the timer, not the next datagram, expires it.
            var letters = kafka.read(dead, DEAD, 1, Duration.ofSeconds(30));
            assertThat(letters).singleElement().satisfies(r -> {
                DeadLetter d = r.value();
                assertThat(r.key()).isEqualTo("127.0.0.1");
                assertThat(d.getReason()).isEqualTo(DeadLetter.Reason.REASON_MISSING_STATE);
                assertThat(d.getProtocol()).isEqualTo("netflow");
                assertThat(d.getDetail()).contains("127.0.0.1/9/999");
                assertThat(d.getRaw().toByteArray()).isEqualTo(body);
            });
            try (HttpClient http = HttpClient.create(new URL("http://127.0.0.1:" + server.getPort()))) {
                String metrics = http.toBlocking().retrieve("/prometheus");
                assertThat(metrics).contains(
                        "nocturne_ingest_flow_template_misses_total{exporter=\"127.0.0.1\",protocol=\"netflow9\"} 1.0",
                        "nocturne_ingest_flow_pending_expired_total 1.0",
                        "nocturne_ingest_flow_templates_active 0.0");
            }
        }
    }
}
