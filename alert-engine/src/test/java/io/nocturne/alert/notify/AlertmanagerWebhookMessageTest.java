package io.nocturne.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.alert.notify.webhook.AlertmanagerWebhookMessage;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.IncidentStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerWebhookMessageTest {

    @Test
    void resolvedIncidentsCarryTheirEndTime() {
        Incident i = Incident.newBuilder().setId("fp-1").setFingerprint("fp").setRule("R")
                .setStatus(IncidentStatus.INCIDENT_STATUS_RESOLVED)
                .putLabels("alertname", "R").putLabels("device", "sw \"1\"")
                .setOpenedAtUnixNanos(1_700_000_000_123_456_789L).setResolvedAtUnixNanos(1_700_000_060_000_000_000L)
                .build();
        var m = AlertmanagerWebhookMessage.of(i, List.of("device"), "webhook", "http://noc:8080/");
        assertThat(m.status()).isEqualTo("resolved");
        assertThat(m.groupKey()).isEqualTo("{}:{alertname=\"R\", device=\"sw \\\"1\\\"\"}");
        assertThat(m.groupLabels()).isEqualTo(Map.of("alertname", "R", "device", "sw \"1\""));
        assertThat(m.externalURL()).isEqualTo("http://noc:8080");
        var a = m.alerts().get(0);
        assertThat(a.status()).isEqualTo("resolved");
        assertThat(a.startsAt()).isEqualTo("2023-11-14T22:13:20.123456789Z");
        assertThat(a.endsAt()).isEqualTo("2023-11-14T22:14:20Z");
        assertThat(a.generatorURL()).isEqualTo("http://noc:8080/api/v1/incidents/fp-1");
    }
}
