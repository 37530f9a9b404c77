package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipfix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.WireFormat;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.ingest.flow.template.TemplateCache;
import io.nocturne.ingest.listener.ListenerMetrics;
import io.nocturne.ingest.listener.MessageIngest;
import io.nocturne.ingest.publish.TelemetryPublisher;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Flow records Kafka never stores are counted per exporter as well as per listener, so an
 * operator can tell which device's flows were lost inside Nocturne. The producer is a real
 * {@code KafkaProducer} whose bootstrap address has no broker: it never gets metadata, so
 * every record fails after {@code max.block.ms}, as when the cluster is unreachable.
 */
class FlowNotStoredAccountingTest {

    @Test
    void recordsKafkaNeverStoresAreCountedPerExporter() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // free once closed: nothing listens there
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + deadPort);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 50);
        MeterRegistry registry = new SimpleMeterRegistry();
        Topic flows = new Topic("flows", 1, (short) 1, WireFormat.PROTOBUF, Map.of());
        Topic dead = new Topic("dead", 1, (short) 1, WireFormat.PROTOBUF, Map.of());
        try (TelemetryPublisher publisher = new TelemetryPublisher(
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()), dead, registry, 1000, 500)) {
            FlowMetrics metrics = new FlowMetrics(registry, 10);
            publisher.onLoss("flows", metrics::notStored);
            FlowPacketDecoder packets = new FlowPacketDecoder(TemplateCache.inMemory(), SamplingRates.none(),
                    new PendingSets(10, 5_000_000_000L), metrics, null);
            MessageIngest ingest = new MessageIngest("ipfix-udp", new FlowDatagramDecoder(packets, flows), publisher,
                    new ListenerMetrics(registry, "ipfix-udp", "netflow"), 65_535);
            ReceiveContext rc = new ReceiveContext("ipfix-udp", Transport.TRANSPORT_UDP,
                    new InetSocketAddress("127.0.0.7", 40000), new InetSocketAddress("127.0.0.1", 4739),
                    System.currentTimeMillis() * 1_000_000L, false);

            ingest.accept(ipfix(1, 0, 1000, FlowTemplateStateTest.ipfixTemplate256(),
                    FlowTemplateStateTest.ipfixData256(3)), rc);

            Search lost = registry.find("nocturne.ingest.flow.not.stored").tag("exporter", "127.0.0.7");
            await().atMost(Duration.ofSeconds(30)).until(() -> lost.counter() != null && lost.counter().count() == 3.0);
            assertThat(registry.find("nocturne.ingest.flow.not.stored").counters()).hasSize(1);
        }
    }
}
