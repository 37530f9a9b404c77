package io.nocturne.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, "127.0.0.1", 0, false, Map.of())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(), "acks", "all", "enable.idempotence", "true"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "10.0.0.1", "first")).get();
            }
        }
        assertThat(Files.exists(data.resolve("logs/meta.properties"))).isTrue();

        // Second start on the same directory: no re-format, the record is still there.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data, "127.0.0.1", 0, false, Map.of());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                     "bootstrap.servers", broker.bootstrapServers(), "group.id", "t",
                     "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("kept");
            }
            consumer.subscribe(Set.of("kept"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (int i = 0; i < 50 && records.isEmpty(); i++) {
                records = consumer.poll(Duration.ofMillis(200));
            }
            assertThat(records.count()).isEqualTo(1);
            var r = records.iterator().next();
            assertThat(r.key()).isEqualTo("10.0.0.1");
            assertThat(r.value()).isEqualTo("first");
        }
    }
}
