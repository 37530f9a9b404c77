package io.nocturne.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.json.JsonMapper;
import io.nocturne.alert.incidents.IncidentLifecycle;
import io.nocturne.alert.notify.webhook.WebhookReceiver;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.IncidentStatus;
import io.nocturne.testkit.RecordingHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookRetryTest {

    @Test
    void retriesServerErrorsHonouringRetryAfterAndGivesUpOnClientErrors() throws Exception {
        try (RecordingHttpServer server = new RecordingHttpServer()) {
            WebhookReceiver receiver = new WebhookReceiver(URI.create(server.url("/hook")), true, Duration.ofSeconds(5),
                    "http://noc", rule -> List.of("device"), JsonMapper.createDefault());
            IncidentNotifier notifier = new IncidentNotifier(Map.of("bootstrap.servers", "127.0.0.1:1"), "g", "t",
                    List.of(receiver), 4, Duration.ofMillis(10), new SimpleMeterRegistry());
            Incident incident = Incident.newBuilder().setId("fp-1").setFingerprint("fp").setRule("R")
                    .setStatus(IncidentStatus.INCIDENT_STATUS_OPEN).putLabels("alertname", "R").build();

            server.answerNext(new RecordingHttpServer.Answer(503, Map.of()),
                    new RecordingHttpServer.Answer(429, Map.of("Retry-After", "0")));
            notifier.notify(receiver, incident, IncidentLifecycle.Change.OPENED);
            assertThat(server.requests()).hasSize(3);
            assertThat(server.requests().get(2).body()).isEqualTo(server.requests().get(0).body());

            server.answerNext(new RecordingHttpServer.Answer(400, Map.of()));
            notifier.notify(receiver, incident, IncidentLifecycle.Change.OPENED);
            assertThat(server.requests()).hasSize(4); // a 400 is not retried
            notifier.close();
        }
        assertThat(WebhookReceiverAccess.retryAfter(Map.of("Retry-After", List.of("120")))).contains(Duration.ofSeconds(120));
        assertThat(WebhookReceiverAccess.retryAfter(Map.of("retry-after", List.of("soon")))).isEmpty();
    }
}
