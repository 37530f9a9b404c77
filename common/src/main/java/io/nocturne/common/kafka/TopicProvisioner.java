package io.nocturne.common.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the Kafka cluster and creates the topics a service needs when they are missing.
 * Kafka being unreachable is an expected state at start (the broker may start after us): we
 * say so once per attempt, with the address we try, and keep trying with back-off.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Map<String, Object> adminConfig;
    private final String bootstrapServers;

    public TopicProvisioner(Map<String, Object> clientConfig) {
        this.adminConfig = new java.util.HashMap<>(clientConfig);
        this.adminConfig.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        this.adminConfig.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        this.bootstrapServers = String.valueOf(clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /**
     * Blocks until the cluster answers and every topic exists, retrying with back-off (1 s
     * doubling to 30 s) until {@code stillWanted} says stop.
     *
     * @return true when ready, false when abandoned
     */
    public boolean awaitReady(Collection<Topic> topics, java.util.function.BooleanSupplier stillWanted) {
        long backoffMs = 1_000;
        int attempt = 0;
        while (stillWanted.getAsBoolean()) {
            attempt++;
            Optional<String> problem = tryOnce(topics);
            if (problem.isEmpty()) {
                if (attempt > 1) {
                    LOG.info("Kafka at {} is reachable after {} attempts; topics ready", bootstrapServers, attempt);
                }
                return true;
            }
            LOG.warn("Kafka at {} is not usable yet ({}); retrying in {} s (attempt {})",
                    bootstrapServers, problem.get(), backoffMs / 1000.0, attempt);
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            backoffMs = Math.min(backoffMs * 2, 30_000);
        }
        return false;
    }

    /** One attempt: empty when the cluster answered and all topics exist, else what failed. */
    public Optional<String> tryOnce(Collection<Topic> topics) {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : topics) {
                if (!existing.contains(t.name())) {
                    missing.add(new NewTopic(t.name(), Optional.of(t.partitions()),
                            t.replicationFactor() < 1 ? Optional.empty() : Optional.of(t.replicationFactor()))
                            .configs(t.configs()));
                }
            }
            if (!missing.isEmpty()) {
                var result = admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(10_000));
                for (var e : result.values().entrySet()) {
                    try {
                        e.getValue().get(15, TimeUnit.SECONDS);
                        LOG.info("created topic {}", e.getKey());
                    } catch (ExecutionException ex) {
                        if (!(ex.getCause() instanceof TopicExistsException)) {
                            return Optional.of("cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage());
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Optional.of("no answer within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
