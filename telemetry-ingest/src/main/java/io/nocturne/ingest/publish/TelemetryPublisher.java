package io.nocturne.ingest.publish;

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
import java.util.concurrent.atomic.AtomicInteger;
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

    private final Producer<String, byte[]> producer;
    private final Topic deadLetterTopic;
    private final ProtobufSerde<DeadLetter> deadLetterSerde;
    private final Map<String, ProtobufSerde<TelemetryEvent>> eventSerdes = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Timer latency;
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    /** Records handed to the producer and not yet acknowledged or failed. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int pauseAbove;
    private final int resumeBelow;
    private final Queue<Runnable> waitingForDrain = new ConcurrentLinkedQueue<>();

    public TelemetryPublisher(Producer<String, byte[]> producer, Topic deadLetterTopic, MeterRegistry registry) {
        this(producer, deadLetterTopic, registry, 20_000, 5_000);
    }

    /**
     * @param pauseAbove  in-flight records above which {@link #saturated()} says stop reading
     * @param resumeBelow in-flight records below which paused readers resume
     */
    public TelemetryPublisher(Producer<String, byte[]> producer, Topic deadLetterTopic, MeterRegistry registry,
                              int pauseAbove, int resumeBelow) {
        this.pauseAbove = pauseAbove;
        this.resumeBelow = resumeBelow;
        this.producer = producer;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetterSerde = new ProtobufSerde<>(DeadLetter.getDefaultInstance(), deadLetterTopic.wireFormat());
        this.registry = registry;
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
        ProtobufSerde<TelemetryEvent> serde = eventSerdes.computeIfAbsent(topic.name(),
                n -> new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(), topic.wireFormat()));
        return send(topic.name(), event.getExporter().getAddress(), serde, event, event.getReceiveTimeUnixNanos(), null);
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
        ProtobufSerde<TelemetryEvent> serde = eventSerdes.computeIfAbsent(topic.name(),
                n -> new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(), topic.wireFormat()));
        return send(topic.name(), event.getExporter().getAddress(), serde, event, event.getReceiveTimeUnixNanos(),
                completion);
    }

    /** Sends a dead letter; false when the producer refused it. */
    public boolean deadLetter(DeadLetter letter) {
        return send(deadLetterTopic.name(), letter.getExporter().getAddress(), deadLetterSerde, letter,
                letter.getReceiveTimeUnixNanos(), null);
    }

    private <T extends Message> boolean send(String topic, String key, ProtobufSerde<T> serde, T value,
                                             long receiveUnixNanos, Completion completion) {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = serde.serialize(headers, value);
        long receiveMillis = receiveUnixNanos / 1_000_000L;
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, receiveMillis, key, bytes, headers);
        inFlight.incrementAndGet();
        try {
            producer.send(record, (metadata, exception) -> {
                if (inFlight.decrementAndGet() < resumeBelow && !waitingForDrain.isEmpty()) {
                    resumeWaiting();
                }
                if (exception == null) {
                    published.computeIfAbsent(topic, t -> Counter.builder("nocturne.ingest.events.published")
                            .description("Records the broker acknowledged, by topic")
                            .tag("topic", t).register(registry)).increment();
                    long nanos = System.currentTimeMillis() * 1_000_000L - receiveUnixNanos;
                    latency.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
                } else {
                    failed(topic, exception);
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
            if (inFlight.decrementAndGet() < resumeBelow && !waitingForDrain.isEmpty()) {
                resumeWaiting();
            }
            failed(topic, e);
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
        return inFlight.get() > pauseAbove;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Runs {@code resume} once in-flight records drop below {@code resumeBelow} (maybe at once). */
    public void whenDrained(Runnable resume) {
        waitingForDrain.add(resume);
        if (inFlight.get() < resumeBelow) {
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
