package io.nocturne.alert.notify.webhook;

import io.micronaut.serde.annotation.Serdeable;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.IncidentStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The body Alertmanager's webhook receiver POSTs (payload version 4), so anything that takes
 * Alertmanager webhooks takes ours. One incident is one alert in a group of one.
 * See https://prometheus.io/docs/alerting/latest/configuration/#webhook_config.
 */
@Serdeable
public record AlertmanagerWebhookMessage(String version, String groupKey, int truncatedAlerts, String status,
                                         String receiver, Map<String, String> groupLabels,
                                         Map<String, String> commonLabels, Map<String, String> commonAnnotations,
                                         String externalURL, List<Alert> alerts) {

    /** Alertmanager's "zero" endsAt for an alert still firing (Go's zero time). */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    @Serdeable
    public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
                        String endsAt, String generatorURL, String fingerprint) {
    }

    /**
     * @param groupBy   the labels the rule grouped by (plus alertname): the group labels
     * @param externalUrl base URL of the alert engine
     */
    public static AlertmanagerWebhookMessage of(Incident incident, List<String> groupBy, String receiver,
                                                String externalUrl) {
        boolean resolved = incident.getStatus() == IncidentStatus.INCIDENT_STATUS_RESOLVED;
        String status = resolved ? "resolved" : "firing";
        Map<String, String> labels = new TreeMap<>(incident.getLabelsMap());
        Map<String, String> annotations = new TreeMap<>(incident.getAnnotationsMap());
        Map<String, String> groupLabels = new TreeMap<>();
        groupLabels.put("alertname", labels.getOrDefault("alertname", incident.getRule()));
        for (String g : groupBy) {
            if (labels.containsKey(g)) {
                groupLabels.put(g, labels.get(g));
            }
        }
        String groupKey = "{}:{" + groupLabels.entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ")) + "}";
        String base = externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl;
        Alert alert = new Alert(status, labels, annotations, time(incident.getOpenedAtUnixNanos()),
                resolved ? time(incident.getResolvedAtUnixNanos()) : ZERO_TIME,
                base + "/api/v1/incidents/" + incident.getId(), incident.getFingerprint());
        return new AlertmanagerWebhookMessage("4", groupKey, 0, status, receiver, groupLabels, labels, annotations,
                base, List.of(alert));
    }

    static String time(long unixNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L))
                .toString();
    }
}
