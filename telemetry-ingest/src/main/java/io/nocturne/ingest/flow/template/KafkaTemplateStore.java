package io.nocturne.ingest.flow.template;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nocturne.ingest.flow.ipfix.IpfixDecoder;
import io.nocturne.ingest.flow.netflow9.Netflow9Decoder;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Templates shared through the compacted {@code nocturne.flow-templates} topic: key
 * {@code exporter/domain/id}, value {@link FlowTemplate}, tombstone on withdrawal. Every
 * instance publishes what it learns and reads the whole topic back at start, so it decodes an
 * exporter's next data packet without waiting for the template to be resent.
 */
public final class KafkaTemplateStore implements TemplateSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTemplateStore.class);

    private final Producer<String, byte[]> producer;
    private final String topic;

    public KafkaTemplateStore(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void learned(Template t) {
        FlowTemplate value = FlowTemplate.newBuilder().setProtocol(t.protocol())
                .setExporterAddress(t.key().exporter()).setObservationDomainId((int) t.key().domain())
                .setTemplateId(t.key().templateId()).setOptions(t.options())
                .setRecord(ByteString.copyFrom(t.record())).setReceivedUnixNanos(t.learnedNanos()).build();
        send(t.key(), value.toByteArray());
    }

    @Override
    public void withdrawn(TemplateKey key) {
        send(key, null);
    }

    private void send(TemplateKey key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.topicKey(), value), (md, e) -> {
                if (e != null) {
                    LOG.warn("template {} not shared on {}: {}", key.topicKey(), topic, e.toString());
                }
            });
        } catch (RuntimeException e) {
            // A full producer must not stall decoding: the template stays local, resent later.
            LOG.warn("template {} not shared on {}: {}", key.topicKey(), topic, e.toString());
        }
    }

    /** Rebuilds a template from a {@code nocturne.flow-templates} value; null if unusable. */
    public static Template template(FlowTemplate v) {
        TemplateKey key = new TemplateKey(v.getExporterAddress(), Integer.toUnsignedLong(v.getObservationDomainId()),
                v.getTemplateId());
        byte[] record = v.getRecord().toByteArray();
        return switch (v.getProtocol()) {
            case PROTOCOL_NETFLOW_V9 -> Netflow9Decoder.restore(key, v.getOptions(), record, v.getReceivedUnixNanos());
            case PROTOCOL_IPFIX -> IpfixDecoder.restore(key, v.getOptions(), record, v.getReceivedUnixNanos());
            default -> null;
        };
    }

    /**
     * Reads the topic from the beginning to its current end into {@code cache}.
     *
     * @param learnedNanos the time restored templates count as refreshed (their expiry starts now)
     * @return templates restored
     */
    public static int load(String bootstrapServers, String topic, TemplateCache cache, long learnedNanos,
                           Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "nocturne-ingest-templates");
        Map<TemplateKey, Template> latest = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (System.nanoTime() < deadline && !reached(consumer, end)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TemplateKey key = TemplateKey.parse(r.key());
                    if (key == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.put(key, null);
                        continue;
                    }
                    try {
                        Template t = template(FlowTemplate.parseFrom(r.value()));
                        latest.put(key, t == null ? null : t.refreshed(learnedNanos));
                    } catch (InvalidProtocolBufferException e) {
                        LOG.warn("{}: record {} is not a FlowTemplate; skipped", topic, r.key());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("flow templates not read back from {} ({}); exporters' next templates will be awaited",
                    topic, e.toString());
        }
        int n = 0;
        for (Template t : latest.values()) {
            if (t != null) {
                cache.restore(t);
                n++;
            }
        }
        return n;
    }

    /**
     * Reads the topic from the beginning and keeps following it, so templates that exporters
     * send to another instance (load-balanced UDP) reach this one too; tombstones remove.
     */
    public static final class Follower implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final String topic;
        private final TemplateCache cache;
        private final java.util.function.LongSupplier nanos;
        private final java.util.concurrent.CountDownLatch caughtUp = new java.util.concurrent.CountDownLatch(1);
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int restored;

        private Follower(String bootstrapServers, String topic, TemplateCache cache,
                         java.util.function.LongSupplier nanos) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "nocturne-ingest-templates");
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            this.topic = topic;
            this.cache = cache;
            this.nanos = nanos;
            this.thread = new Thread(this::run, "flow-templates-follower");
            this.thread.setDaemon(true);
        }

        public static Follower start(String bootstrapServers, String topic, TemplateCache cache,
                                     java.util.function.LongSupplier nanos) {
            Follower f = new Follower(bootstrapServers, topic, cache, nanos);
            f.thread.start();
            return f;
        }

        /** Waits until the topic as it was at start has been read; false on timeout. */
        public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
            return caughtUp.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        public int restored() {
            return restored;
        }

        private void run() {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    if (caughtUp.getCount() > 0 && reached(consumer, end)) {
                        caughtUp.countDown();
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                LOG.warn("stopped following {} ({}); templates from other instances will not arrive", topic,
                        e.toString());
            } finally {
                caughtUp.countDown();
                consumer.close(Duration.ofSeconds(2));
            }
        }

        private void apply(ConsumerRecord<String, byte[]> r) {
            TemplateKey key = TemplateKey.parse(r.key());
            if (key == null) {
                return;
            }
            if (r.value() == null) {
                cache.forget(key);
                return;
            }
            try {
                Template t = template(FlowTemplate.parseFrom(r.value()));
                if (t != null) {
                    // Expiry counts from when this instance heard of it.
                    cache.restore(t.refreshed(nanos.getAsLong()));
                    restored++;
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.warn("{}: record {} is not a FlowTemplate; skipped", topic, r.key());
            }
        }

        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
