package io.nocturne.ingest.publish;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts events and dead letters on Kafka through one shared idempotent producer. The record
 * key is the exporter address, so one device's events stay in order on one partition.
 *
 * <p>{@link #publish} never blocks longer than the producer's {@code max.block.ms}; when the
 * producer cannot take a record (buffer full, no metadata) it returns false and the caller
 * counts what it shed. Stream listeners avoid that: they stop reading while
 * {@link #saturated()} and resume through {@link #whenDrained}. Failed deliveries are counted by topic and reason and logged at a
 * bounded rate.
 */
public final class TelemetryPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Topic deadLetterTopic;
    private final ProtobufSerde<DeadLetter> deadLetterSerde;
    private final Map<String, Sink<TelemetryEvent>> eventSinks = new ConcurrentHashMap<>();
    private final Sink<DeadLetter> deadLetterSink;
    private final MeterRegistry registry;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Timer latency;
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    /**
     * Records handed to the producer, and those of them acknowledged or failed: in flight is
     * the difference. Two counters, not one, so the listeners' threads (which add) and the
     * producer's thread (which completes) never write the same cache line once per record:
     * one shared atomic bounced between the cores on every record and its acknowledgement.
     */
    private final LongAdder sent = new LongAdder();
    private final PaddedCounter completed = new PaddedCounter();
    private final int pauseAbove;
    private final int resumeBelow;
    private final Queue<Runnable> waitingForDrain = new ConcurrentLinkedQueue<>();
    private final RecordKeys keys = new RecordKeys();

    public TelemetryPublisher(Producer<byte[], byte[]> producer, Topic deadLetterTopic, MeterRegistry registry) {
        this(producer, deadLetterTopic, registry, 20_000, 5_000);
    }

    /**
     * @param pauseAbove  in-flight records above which {@link #saturated()} says stop reading
     * @param resumeBelow in-flight records below which paused readers resume
     */
    public TelemetryPublisher(Producer<byte[], byte[]> producer, Topic deadLetterTopic, MeterRegistry registry,
                              int pauseAbove, int resumeBelow) {
        this.pauseAbove = pauseAbove;
        this.resumeBelow = resumeBelow;
        this.producer = producer;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetterSerde = new ProtobufSerde<>(DeadLetter.getDefaultInstance(), deadLetterTopic.wireFormat());
        this.registry = registry;
        this.deadLetterSink = new Sink<>(deadLetterTopic.name(), deadLetterSerde, DeadLetter.getDefaultInstance(), registry,
                deadLetterSerde::encode);
        this.latency = Timer.builder("nocturne.ingest.publish.latency")
                .description("From receipt at the listener to the broker's acknowledgement")
                // Buckets for histogram_quantile(); Prometheus 1.x exports no client-side
                // percentiles next to a histogram, so none are configured.
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * Sends an event to {@code topic}, keyed by its exporter address.
     *
     * @return false when the producer refused the record without sending it (shed)
     */
    public boolean publish(Topic topic, TelemetryEvent event) {
        return publish(topic, event, null);
    }

    /** What becomes of one record: called once, from the producer's thread (or the caller's if refused). */
    @FunctionalInterface
    public interface Completion {
        /** @param stored true once the broker acknowledged the record; false if it never will */
        void completed(boolean stored);
    }

    /**
     * As {@link #publish(Topic, TelemetryEvent)}, and tells {@code completion} whether the broker
     * acknowledged the record (for protocols that answer the sender only once it is stored:
     * SNMP INFORM). Refused records complete with false before this returns.
     */
    public boolean publish(Topic topic, TelemetryEvent event, Completion completion) {
        Sink<TelemetryEvent> sink = eventSinks.get(topic.name());
        if (sink == null) {
            sink = eventSinks.computeIfAbsent(topic.name(), n -> {
                ProtobufSerde<TelemetryEvent> serde = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(),
                        topic.wireFormat());
                return new Sink<>(n, serde, TelemetryEvent.getDefaultInstance(), registry,
                        topic.wireFormat() == io.nocturne.common.kafka.WireFormat.PROTOBUF
                                ? TrapEventEncoder::encode : serde::encode);
            });
        }
        // getAddressBytes, not getAddress: the getter would swap the shared endpoint's UTF-8
        // bytes for a String that every later serialization encodes again.
        return send(sink, event.getExporter().getAddressBytes(), event, event.getReceiveTimeUnixNanos(), completion);
    }

    /** Told the key (the exporter address) of each record of a topic that will never be stored. */
    @FunctionalInterface
    public interface LossListener {
        void lost(String key);
    }

    private final Map<String, LossListener> lossListeners = new ConcurrentHashMap<>();

    /**
     * Calls {@code listener} for every record of {@code topic} that is shed or not
     * acknowledged, on the thread that learns it (for per-exporter accounting).
     */
    public void onLoss(String topic, LossListener listener) {
        lossListeners.put(topic, listener);
    }

    private void lost(String topic, String key) {
        LossListener l = lossListeners.get(topic);
        if (l != null) {
            l.lost(key);
        }
    }

    /** Sends a dead letter; false when the producer refused it. */
    public boolean deadLetter(DeadLetter letter) {
        return send(deadLetterSink, letter.getExporter().getAddressBytes(), letter, letter.getReceiveTimeUnixNanos(), null);
    }

    /**
     * What one topic's records share, built once: the serde, the content-type and
     * schema-version headers (one read-only instance for every record: the producer only
     * reads them), and the acknowledged-records counter.
     */
    private static final class Sink<T extends Message> {
        final String topic;
        final ProtobufSerde<T> serde;
        final RecordHeaders headers = new RecordHeaders();
        final PaddedCounter published;
        /** The serde's encoding, or an equal one that is cheaper ({@link TrapEventEncoder}). */
        final java.util.function.Function<T, byte[]> encoder;

        Sink(String topic, ProtobufSerde<T> serde, T defaultInstance, MeterRegistry registry,
             java.util.function.Function<T, byte[]> encoder) {
            this.topic = topic;
            this.serde = serde;
            this.encoder = encoder;
            serde.serialize(headers, defaultInstance); // stamps content-type and schema-version
            headers.setReadOnly();
            // Incremented by the producer's thread for every acknowledged record: padded.
            this.published = PaddedCounter.register(registry, "nocturne.ingest.events.published",
                    "Records the broker acknowledged, by topic", "topic", topic);
        }
    }

    private <T extends Message> boolean send(Sink<T> sink, ByteString key, T value, long receiveUnixNanos,
                                             Completion completion) {
        byte[] bytes = sink.encoder.apply(value);
        long receiveMillis = receiveUnixNanos / 1_000_000L;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(sink.topic, null, receiveMillis, keys.bytes(key),
                bytes, sink.headers);
        sent.increment();
        try {
            producer.send(record, (metadata, exception) -> {
                completed.increment();
                if (!waitingForDrain.isEmpty() && inFlight() < resumeBelow) {
                    resumeWaiting();
                }
                if (exception == null) {
                    sink.published.increment();
                    long nanos = System.currentTimeMillis() * 1_000_000L - receiveUnixNanos;
                    latency.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
                } else {
                    failed(sink.topic, exception);
                    lost(sink.topic, key.toStringUtf8());
                }
                if (completion != null) {
                    completion.completed(exception == null);
                }
            });
            return true;
        } catch (RuntimeException e) {
            // Thrown without a callback (InterruptException, KafkaException after close...):
            // the record is no longer in flight, and paused readers must not wait for a
            // callback that will never come.
            completed.increment();
            if (!waitingForDrain.isEmpty() && inFlight() < resumeBelow) {
                resumeWaiting();
            }
            failed(sink.topic, e);
            lost(sink.topic, key.toStringUtf8());
            if (completion != null) {
                completion.completed(false);
            }
            return false;
        }
    }

    /**
     * Whether stream readers should stop reading (TCP back-pressure): more than
     * {@code pauseAbove} records wait for the broker.
     */
    public boolean saturated() {
        return inFlight() > pauseAbove;
    }

    /**
     * Fetches the producer's metadata for {@code topics} before listeners open: otherwise the
     * first record to each topic waits for it inside {@code send}, and on a busy machine that
     * wait outlasts {@code max.block.ms} and the record is shed.
     */
    public void warmUp(java.util.Collection<String> topics, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (String topic : topics) {
            while (true) {
                try {
                    producer.partitionsFor(topic);
                    break;
                } catch (org.apache.kafka.common.KafkaException e) {
                    if (System.nanoTime() > deadline) {
                        LOG.warn("no metadata for topic {} yet ({}); its first records may be shed", topic,
                                e.getMessage());
                        break;
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    public int inFlight() {
        long done = completed.get(); // first: every completed record was counted as sent before
        return (int) Math.max(0, sent.sum() - done);
    }

    /** Runs {@code resume} once in-flight records drop below {@code resumeBelow} (maybe at once). */
    public void whenDrained(Runnable resume) {
        waitingForDrain.add(resume);
        if (inFlight() < resumeBelow) {
            resumeWaiting(); // drained between the caller's check and now
        }
    }

    private void resumeWaiting() {
        Runnable r;
        while ((r = waitingForDrain.poll()) != null) {
            r.run();
        }
    }

    private void failed(String topic, Exception e) {
        String reason = reasonOf(e);
        failures.computeIfAbsent(topic + '\0' + reason, k -> Counter.builder("nocturne.ingest.publish.failures")
                .description("Records Kafka did not take or did not acknowledge, by topic and reason")
                .tag("topic", topic).tag("reason", reason).register(registry)).increment();
        failureLog.warn("cannot publish to {}: {}: {}", topic, e.getClass().getSimpleName(), e.getMessage());
    }

    /** A bounded set of reasons, for the metric label. */
    static String reasonOf(Exception e) {
        if (e instanceof TimeoutException) {
            return "timeout";
        }
        if (e instanceof RecordTooLargeException) {
            return "record_too_large";
        }
        if (e instanceof org.apache.kafka.common.errors.InterruptException) {
            return "interrupted";
        }
        return "other";
    }

    /** Sends what is buffered and waits up to {@code timeout} for it. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
