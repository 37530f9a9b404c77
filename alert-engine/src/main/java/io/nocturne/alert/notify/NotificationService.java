package io.nocturne.alert.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.json.JsonMapper;
import io.nocturne.alert.AlertEngine;
import io.nocturne.alert.config.AlertEngineProperties;
import io.nocturne.alert.config.KafkaProperties;
import io.nocturne.alert.config.WebhookProperties;
import io.nocturne.alert.notify.webhook.WebhookReceiver;
import io.nocturne.alert.rules.Rule;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the notifier with the configured receivers (none configured: nothing runs). */
@Context
@io.micronaut.context.annotation.Requires(property = "nocturne.alert-engine.enabled", notEquals = "false")
public class NotificationService {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

    private final IncidentNotifier notifier;
    private final Thread thread;

    public NotificationService(AlertEngine engine, AlertEngineProperties props, KafkaProperties kafka,
                               WebhookProperties webhook, JsonMapper json, MeterRegistry registry) {
        List<Receiver> receivers = new ArrayList<>();
        if (webhook.getUrl() != null && !webhook.getUrl().isBlank()) {
            URI url;
            try {
                url = URI.create(webhook.getUrl().trim());
                if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("nocturne.notify.webhook.url: '" + webhook.getUrl() + "': " + e.getMessage());
            }
            // The rule's group_by as it is now: rules reload while the notifier runs.
            receivers.add(new WebhookReceiver(url, webhook.isSendResolved(), webhook.getTimeout(), props.getExternalUrl(),
                    rule -> {
                        Rule r = engine.rules().current().rule(rule);
                        return r == null ? List.of() : r.groupByNames();
                    }, json));
            LOG.info("webhook receiver: POST {} (send_resolved={})", url, webhook.isSendResolved());
        }
        if (receivers.isEmpty()) {
            LOG.info("no notification receiver configured (set nocturne.notify.webhook.url)");
            notifier = null;
            thread = null;
            return;
        }
        Map<String, Object> client = new HashMap<>(kafka.clientSettings());
        client.put("bootstrap.servers", kafka.getBootstrapServers());
        notifier = new IncidentNotifier(client, props.getApplicationId() + "-notifier",
                engine.topics().get("incidents").name(), receivers, webhook.getMaxAttempts(), Duration.ofSeconds(1),
                registry);
        thread = new Thread(notifier, "incident-notifier");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        if (notifier != null) {
            notifier.close();
            thread.join(10_000);
        }
    }
}
