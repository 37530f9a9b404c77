package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipfix;
import static io.nocturne.ingest.flow.FlowPackets.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.flow.template.KafkaTemplateStore;
import io.nocturne.ingest.flow.template.TemplateCache;
import io.nocturne.ingest.flow.template.TemplateKey;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The compacted template topic as the memory of every instance (real embedded broker). */
@ExtendWith(EmbeddedKafkaExtension.class)
class FlowTemplateStoreTest {

    @Test
    void withdrawnTemplatesAreTombstonedAndNotReadBack(KafkaBroker kafka) {
        String topic = KafkaBroker.uniqueTopic("flow-templates");
        kafka.createTopic(topic, 3);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            TemplateCache cache = new TemplateCache(100, 100, 0, new KafkaTemplateStore(producer, topic), null);
            FlowPacketDecoder d = new FlowPacketDecoder(cache, null, null, null, null);
            d.decode(ipfix(7, 0, 1000, FlowTemplateStateTest.ipfixTemplate256(),
                    set(2, new FlowPackets().u16(257).u16(1).u16(0x8000 | 1).u16(4).u32(29305).bytes())),
                    "192.0.2.9", 1);
            d.decode(ipfix(7, 0, 1000, set(2, new FlowPackets().u16(256).u16(0).bytes())), "192.0.2.9", 2);
            producer.flush();
        }
        TemplateCache restored = TemplateCache.inMemory();
        int n = KafkaTemplateStore.load(kafka.bootstrapServers(), topic, restored, 5, Duration.ofSeconds(30));
        assertThat(n).isEqualTo(1);
        assertThat(restored.get(new TemplateKey("192.0.2.9", 7, 256), 5)).isNull();
        assertThat(restored.get(new TemplateKey("192.0.2.9", 7, 257), 5)).satisfies(t -> {
            assertThat(t.fields()).singleElement().satisfies(f -> {
                assertThat(f.enterprise()).isEqualTo(29305);
                assertThat(f.id()).isEqualTo(1);
            });
            assertThat(t.learnedNanos()).isEqualTo(5);
        });
    }
}
