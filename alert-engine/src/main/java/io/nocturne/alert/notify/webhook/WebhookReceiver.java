package io.nocturne.alert.notify.webhook;

import io.micronaut.json.JsonMapper;
import io.nocturne.alert.incidents.IncidentLifecycle;
import io.nocturne.alert.notify.Receiver;
import io.nocturne.telemetry.v1.Incident;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** POSTs the Alertmanager v4 webhook payload for incidents opening (and resolving). */
public final class WebhookReceiver implements Receiver {

    private final URI url;
    private final boolean sendResolved;
    private final Duration timeout;
    private final String externalUrl;
    private final Function<String, List<String>> groupByOfRule;
    private final JsonMapper json;
    private final HttpClient http;

    /**
     * @param groupByOfRule the group_by labels of a rule, by rule name (the group labels)
     */
    public WebhookReceiver(URI url, boolean sendResolved, Duration timeout, String externalUrl,
                           Function<String, List<String>> groupByOfRule, JsonMapper json) {
        this.url = url;
        this.sendResolved = sendResolved;
        this.timeout = timeout;
        this.externalUrl = externalUrl;
        this.groupByOfRule = groupByOfRule;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public boolean wants(IncidentLifecycle.Change change) {
        return change == IncidentLifecycle.Change.OPENED || (sendResolved && change == IncidentLifecycle.Change.RESOLVED);
    }

    @Override
    public Attempt deliver(Incident incident, IncidentLifecycle.Change change) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(AlertmanagerWebhookMessage.of(incident,
                    groupByOfRule.apply(incident.getRule()), name(), externalUrl));
        } catch (IOException e) {
            return new Attempt.Failed("cannot encode payload: " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Nocturne-alert-engine")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Attempt.Retryable(e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt.Retryable("interrupted", Optional.empty());
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return new Attempt.Delivered();
        }
        String reason = "HTTP " + code + " from " + url;
        if (code == 408 || code == 429 || code >= 500) {
            return new Attempt.Retryable(reason, retryAfter(response.headers().map()));
        }
        return new Attempt.Failed(reason);
    }

    /** RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date. */
    public static Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (!"retry-after".equalsIgnoreCase(e.getKey()) || e.getValue().isEmpty()) {
                continue;
            }
            String v = e.getValue().get(0).trim();
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (RuntimeException unparseable) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
