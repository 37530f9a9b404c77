package io.nocturne.testkit;

import io.nocturne.common.kafka.ProtobufSerde;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a test gets from {@link EmbeddedKafkaExtension}: the shared broker's address and a few
 * conveniences for creating topics and reading what landed on them.
 */
public final class KafkaBroker {

    private final String bootstrapServers;

    public KafkaBroker(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A topic name no other test uses: tests share one broker, never one topic. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e.getCause());
        }
    }

    public <V> KafkaConsumer<String, V> consumer(Deserializer<V> valueDeserializer) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), valueDeserializer);
    }

    /**
     * Reads {@code topic} from the beginning until {@code expected} records matching
     * {@code filter} arrived, or {@code timeout} passed; returns what it read (which the test
     * then asserts on, so a shortfall shows as a clear assertion failure).
     */
    public <V extends Message> List<ConsumerRecord<String, V>> read(String topic, ProtobufSerde<V> serde,
                                                                     int expected, Duration timeout,
                                                                     Predicate<ConsumerRecord<String, V>> filter) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, V> consumer = consumer(serde.deserializer())) {
            consumer.subscribe(Set.of(topic));
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(100))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    public <V extends Message> List<ConsumerRecord<String, V>> read(String topic, ProtobufSerde<V> serde,
                                                                     int expected, Duration timeout) {
        return read(topic, serde, expected, timeout, r -> true);
    }
}
