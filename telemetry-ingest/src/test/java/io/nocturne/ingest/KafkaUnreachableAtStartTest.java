package io.nocturne.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.kafka.embedded.EmbeddedKafkaBroker;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.testkit.KafkaBroker;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ingest started before its broker: it says so, reports DOWN, keeps trying, and serves
 * once the broker comes up, without a restart.
 */
class KafkaUnreachableAtStartTest {

    @Test
    void waitsForTheBrokerAndThenServes() throws Exception {
        int kafkaPort;
        try (ServerSocket s = new ServerSocket(0)) {
            kafkaPort = s.getLocalPort();
        }
        String topic = KafkaBroker.uniqueTopic("syslog");
        try (ApplicationContext ctx = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "nocturne.kafka.bootstrap-servers", "127.0.0.1:" + kafkaPort,
                "nocturne.topics.syslog.name", topic,
                "nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"),
                "nocturne.ingest.listeners.syslog-udp.bind-address", "127.0.0.1",
                "nocturne.ingest.listeners.syslog-udp.port", 0,
                "nocturne.ingest.listeners.syslog-tcp.bind-address", "127.0.0.1",
                "nocturne.ingest.listeners.syslog-tcp.port", 0)).getApplicationContext();
             HttpClient http = HttpClient.create(ctx.getBean(EmbeddedServer.class).getURL())) {
            IngestService ingest = ctx.getBean(IngestService.class);
            assertThat(ingest.isKafkaReady()).isFalse();
            HttpClientResponseException down = org.junit.jupiter.api.Assertions.assertThrows(
                    HttpClientResponseException.class, () -> http.toBlocking().retrieve("/health"));
            assertThat(down.getStatus().getCode()).isEqualTo(503);
            assertThat(down.getResponse().getBody(String.class).orElse("")).contains("waiting for the cluster");

            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Files.createTempDirectory("late-kafka"),
                    "127.0.0.1", kafkaPort, true, Map.of())) {
                // The provisioner retries with back-off (1 s, 2 s, 4 s ...).
                await().atMost(Duration.ofSeconds(60)).until(ingest::allListenersUp);
                assertThat(http.toBlocking().retrieve("/health")).contains("\"kafka\":\"ready\"");
                int port = ingest.boundListeners().get("syslog-udp").getPort();
                byte[] msg = "<11>1 - late-start app - - - hello".getBytes(StandardCharsets.US_ASCII);
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
                }
                var records = new KafkaBroker(broker.bootstrapServers())
                        .read(topic, ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance()), 1, Duration.ofSeconds(30));
                assertThat(records).extracting(r -> r.value().getSyslog().getHostname()).containsExactly("late-start");
                ctx.stop();
            }
        }
    }
}
