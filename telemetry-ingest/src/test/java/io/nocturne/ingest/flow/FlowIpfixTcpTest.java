package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipfix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IPFIX over TCP (RFC 7011 §10.4): messages split at their own length fields, whatever the segments;
 * templates scoped to their connection (§8).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class FlowIpfixTcpTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    private static final ProtobufSerde<DeadLetter> DEAD = ProtobufSerde.protobuf(DeadLetter.getDefaultInstance());

    @Test
    void decodesAnIpfixStreamCutAnywhereAndDeadLettersANonIpfixStream(KafkaBroker kafka) throws Exception {
        String flows = KafkaBroker.uniqueTopic("flows");
        String dead = KafkaBroker.uniqueTopic("dead");
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.flows.name", flows);
        cfg.put("nocturne.topics.flow-templates.name", KafkaBroker.uniqueTopic("flow-templates"));
        cfg.put("nocturne.topics.deadletter.name", dead);
        for (String off : List.of("syslog-udp", "syslog-tcp", "snmp-traps", "ipfix-udp", "netflow-udp")) {
            cfg.put("nocturne.ingest.listeners." + off + ".enabled", false);
        }
        cfg.put("nocturne.ingest.listeners.ipfix-tcp.enabled", true);
        cfg.put("nocturne.ingest.listeners.ipfix-tcp.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.ipfix-tcp.port", 0);
        cfg.put("nocturne.ingest.flow.template-timeout", "1s");
        cfg.put("nocturne.ingest.flow.pending-timeout", "1s");
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
            int port = ctx.getBean(IngestService.class).boundListeners().get("ipfix-tcp").getPort();
            byte[] template = ipfix(3, 0, 1000, FlowTemplateStateTest.ipfixTemplate256());
            byte[] data = ipfix(3, 0, 1000, FlowTemplateStateTest.ipfixData256(3));
            byte[] stream = new byte[template.length + data.length];
            System.arraycopy(template, 0, stream, 0, template.length);
            System.arraycopy(data, 0, stream, template.length, data.length);
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                for (int[] cut : new int[][] {{0, 3}, {3, template.length + 5}, {template.length + 5, stream.length}}) {
                    out.write(Arrays.copyOfRange(stream, cut[0], cut[1]));
                    out.flush();
                    Thread.sleep(50);
                }
                assertThat(kafka.read(flows, EVENTS, 3, Duration.ofSeconds(30))).hasSize(3);
                // RFC 7011 §8: the connection's template does not time out (1 s here) while it is open.
                Thread.sleep(2_500);
                out.write(ipfix(3, 3, 1000, FlowTemplateStateTest.ipfixData256(1)));
                out.flush();
                var records = kafka.read(flows, EVENTS, 4, Duration.ofSeconds(30));
                assertThat(records).hasSize(4);
                assertThat(records).allSatisfy(r -> {
                    assertThat(r.value().getTransport()).isEqualTo(Transport.TRANSPORT_TCP);
                    assertThat(r.value().getListener()).isEqualTo("ipfix-tcp");
                    assertThat(r.value().getFlow().getObservationDomainId()).isEqualTo(3);
                });
                assertThat(records).extracting(r -> r.value().getFlow().getBytes()).containsExactlyInAnyOrder(1000L,
                        1001L, 1002L, 1000L);
            }
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(registry
                    .get("nocturne.ingest.flow.templates.removed").tag("reason", "session_closed").counter().count())
                    .as("the template went with its connection").isEqualTo(1.0));

            // A new connection that sends data without its templates: nothing decodes; the data is
            // held, then kept as a dead letter (missing_state).
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(ipfix(3, 4, 1000, FlowTemplateStateTest.ipfixData256(1)));
                s.getOutputStream().flush();
                assertThat(kafka.read(dead, DEAD, 1, Duration.ofSeconds(30))).singleElement().satisfies(r ->
                        assertThat(r.value().getReason()).isEqualTo(DeadLetter.Reason.REASON_MISSING_STATE));
            }
            assertThat(kafka.read(flows, EVENTS, 5, Duration.ofSeconds(2))).as("nothing decoded without a template")
                    .hasSize(4);

            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("this is not IPFIX at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).as("connection closed").isEqualTo(-1);
            }
            var letters = kafka.read(dead, DEAD, 2, Duration.ofSeconds(30));
            assertThat(letters).hasSize(2);
            assertThat(letters.get(1)).satisfies(r -> {
                assertThat(r.value().getProtocol()).isEqualTo("netflow");
                assertThat(r.value().getReason()).isEqualTo(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT);
            });
        }
    }
}
