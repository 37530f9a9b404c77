package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipv4;
import static io.nocturne.ingest.flow.FlowPackets.set;
import static io.nocturne.ingest.flow.FlowPackets.v9;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowTemplate;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cold-start gap closed: an instance learns a template and stops; a new instance, started
 * afterwards against the same broker, decodes a data-only packet from the first datagram.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class FlowTemplateRestartTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    private static final ProtobufSerde<FlowTemplate> TEMPLATES = ProtobufSerde.protobuf(FlowTemplate.getDefaultInstance());

    static ApplicationContext start(KafkaBroker kafka, String flows, String templates, String dead) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.flows.name", flows);
        cfg.put("nocturne.topics.flow-templates.name", templates);
        cfg.put("nocturne.topics.deadletter.name", dead);
        for (String off : List.of("syslog-udp", "syslog-tcp", "snmp-traps", "ipfix-udp")) {
            cfg.put("nocturne.ingest.listeners." + off + ".enabled", false);
        }
        cfg.put("nocturne.ingest.listeners.netflow-udp.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.netflow-udp.port", 0);
        cfg.put("nocturne.ingest.listeners.netflow-udp.sockets", 1);
        cfg.put("nocturne.ingest.flow.pending-max-sets", 0);
        ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
        await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
        return ctx;
    }

    static void send(ApplicationContext ctx, byte[] payload) throws Exception {
        int port = ctx.getBean(IngestService.class).boundListeners().get("netflow-udp").getPort();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void aRestartedInstanceDecodesTheFirstDataOnlyPacket(KafkaBroker kafka) throws Exception {
        String flows = KafkaBroker.uniqueTopic("flows");
        String templates = KafkaBroker.uniqueTopic("flow-templates");
        String dead = KafkaBroker.uniqueTopic("dead");
        // Template 260: IPv4 src/dst, in bytes (4), in packets (4), dst port, sampling interval.
        byte[] template = v9(42, 1, 60_000, 1_700_000_000, set(0, new FlowPackets().u16(260).u16(6)
                .u16(8).u16(4).u16(12).u16(4).u16(1).u16(4).u16(2).u16(4).u16(11).u16(2).u16(34).u16(4).bytes()));
        byte[] data = v9(42, 2, 61_000, 1_700_000_001, set(260, new FlowPackets()
                .raw(ipv4(10, 1, 1, 1)).raw(ipv4(10, 2, 2, 2)).u32(1500).u32(3).u16(443).u32(64).bytes()));

        try (ApplicationContext first = start(kafka, flows, templates, dead)) {
            send(first, template);
            List<ConsumerRecord<String, FlowTemplate>> shared = kafka.read(templates, TEMPLATES, 1,
                    Duration.ofSeconds(30));
            assertThat(shared).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("127.0.0.1/42/260");
                assertThat(r.value().getTemplateId()).isEqualTo(260);
                assertThat(r.value().getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_NETFLOW_V9);
            });
        }
        try (ApplicationContext second = start(kafka, flows, templates, dead)) {
            send(second, data);
            List<ConsumerRecord<String, TelemetryEvent>> out = kafka.read(flows, EVENTS, 1, Duration.ofSeconds(30));
            assertThat(out).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("127.0.0.1");
                FlowRecord f = r.value().getFlow();
                assertThat(r.value().getListener()).isEqualTo("netflow-udp");
                assertThat(f.getObservationDomainId()).isEqualTo(42);
                assertThat(f.getSequenceNumber()).isEqualTo(2);
                assertThat(f.getSrcAddress().toByteArray()).containsExactly(10, 1, 1, 1);
                assertThat(f.getDstPort()).isEqualTo(443);
                assertThat(f.getBytes()).isEqualTo(1500);
                assertThat(f.getSamplingRate()).isEqualTo(64);
                assertThat(f.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET);
                assertThat(f.getBytesScaled()).isEqualTo(96_000);
                assertThat(f.getPacketsScaled()).isEqualTo(192);
            });
        }
    }

    @Test
    void aRunningInstanceDecodesDataWhoseTemplateWentToAnotherInstance(KafkaBroker kafka) throws Exception {
        String flows = KafkaBroker.uniqueTopic("flows");
        String templates = KafkaBroker.uniqueTopic("flow-templates");
        String dead = KafkaBroker.uniqueTopic("dead");
        byte[] template = v9(43, 1, 60_000, 1_700_000_000, set(0, new FlowPackets().u16(261).u16(2)
                .u16(8).u16(4).u16(1).u16(4).bytes()));
        byte[] data = v9(43, 2, 61_000, 1_700_000_001, set(261, new FlowPackets()
                .raw(ipv4(10, 9, 9, 9)).u32(777).bytes()));
        try (ApplicationContext a = start(kafka, flows, templates, dead);
             ApplicationContext b = start(kafka, flows, templates, dead)) {
            send(a, template);
            kafka.read(templates, TEMPLATES, 1, Duration.ofSeconds(30));
            // b follows the topic: give it a moment to hear of the template, then send it data only.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                send(b, data);
                return !kafka.read(flows, EVENTS, 1, Duration.ofMillis(300)).isEmpty();
            });
            var out = kafka.read(flows, EVENTS, 1, Duration.ofSeconds(10));
            assertThat(out.get(0).value().getFlow().getBytes()).isEqualTo(777);
            assertThat(out.get(0).value().getFlow().getSrcAddress().toByteArray()).containsExactly(10, 9, 9, 9);
        }
    }
}
