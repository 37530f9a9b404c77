package io.nocturne.alert.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nocturne.alert.incidents.IncidentLifecycle;
import io.nocturne.alert.incidents.IncidentProcessor;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.RecordHeaders;
import io.nocturne.telemetry.v1.Incident;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads incident changes from {@code nocturne.incidents} (committed records only) and hands
 * each opened/resolved change to every receiver, retrying with back-off; the consumer offset
 * is committed only after the receivers are done, so a restart re-delivers rather than
 * loses (at-least-once). Runs on its own thread.
 */
public final class IncidentNotifier implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentNotifier.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KafkaConsumer<String, Incident> consumer;
    private final String topic;
    private final List<Receiver> receivers;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final MeterRegistry registry;
    private final Map<String, Counter> outcomes = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();
    private volatile boolean running = true;

    public IncidentNotifier(Map<String, Object> clientConfig, String groupId, String topic, List<Receiver> receivers,
                            int maxAttempts, Duration initialBackoff, MeterRegistry registry) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 15 * 60 * 1000);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                ProtobufSerde.protobuf(Incident.getDefaultInstance()).deserializer());
        this.topic = topic;
        this.receivers = List.copyOf(receivers);
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.registry = registry;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(Set.of(topic));
            while (running) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    // Kafka trouble (commit failed, broker gone): say so and carry on; the
                    // uncommitted records are delivered again, never lost.
                    LOG.error("notifier: {}; retrying in 5 s", e.toString());
                    sleep(Duration.ofSeconds(5));
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        for (ConsumerRecord<String, Incident> record : consumer.poll(Duration.ofMillis(500))) {
            if (!running) {
                return;
            }
            String label = RecordHeaders.lastString(record.headers(), IncidentProcessor.CHANGE_HEADER);
            Optional<IncidentLifecycle.Change> change = label == null ? Optional.empty()
                    : IncidentLifecycle.Change.fromLabel(label);
            if (record.value() == null || change.isEmpty()) {
                continue;
            }
            for (Receiver r : receivers) {
                if (r.wants(change.get())) {
                    notify(r, record.value(), change.get());
                }
            }
        }
        if (running) {
            consumer.commitSync();
        }
    }

    void notify(Receiver receiver, Incident incident, IncidentLifecycle.Change change) {
        Duration backoff = initialBackoff;
        long start = System.nanoTime();
        for (int attempt = 1; attempt <= maxAttempts && running; attempt++) {
            Receiver.Attempt result;
            try {
                result = receiver.deliver(incident, change);
            } catch (RuntimeException e) {
                result = new Receiver.Attempt.Retryable(e.toString(), Optional.empty());
            }
            if (result instanceof Receiver.Attempt.Delivered) {
                count(receiver, "delivered");
                latency.computeIfAbsent(receiver.name(), n -> Timer.builder("nocturne.notify.delivery.latency")
                        .description("Time to deliver a notification, retries included").tag("receiver", n)
                        .publishPercentileHistogram().register(registry))
                        .record(Duration.ofNanos(System.nanoTime() - start));
                LOG.info("{}: notified incident {} {}", receiver.name(), incident.getId(), change.label());
                return;
            }
            if (result instanceof Receiver.Attempt.Failed failed) {
                count(receiver, "failed");
                LOG.error("{}: incident {} {} not delivered: {} (not retried)", receiver.name(), incident.getId(),
                        change.label(), failed.reason());
                return;
            }
            Receiver.Attempt.Retryable retry = (Receiver.Attempt.Retryable) result;
            count(receiver, "retried");
            Duration wait = retry.retryAfter().filter(d -> d.compareTo(MAX_BACKOFF.multipliedBy(4)) <= 0).orElse(backoff);
            LOG.warn("{}: incident {} {}: attempt {}/{} failed: {}; next in {} ms", receiver.name(), incident.getId(),
                    change.label(), attempt, maxAttempts, retry.reason(), wait.toMillis());
            if (attempt < maxAttempts) {
                sleep(wait);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        count(receiver, "failed");
        LOG.error("{}: incident {} {} not delivered after {} attempts", receiver.name(), incident.getId(),
                change.label(), maxAttempts);
    }

    private void count(Receiver receiver, String outcome) {
        outcomes.computeIfAbsent(receiver.name() + '\0' + outcome, k -> Counter.builder("nocturne.notify.attempts")
                .description("Notification attempts by receiver and outcome (delivered, retried, failed)")
                .tag("receiver", receiver.name()).tag("outcome", outcome).register(registry)).increment();
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
