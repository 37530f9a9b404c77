package io.nocturne.alert.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.IncidentStatus;
import org.junit.jupiter.api.Test;

class IncidentLifecycleTest {

    private static AlertTransition t(AlertState state, long at, double value) {
        return AlertTransition.newBuilder().setFingerprint("00000000000000ab").setRule("R").setState(state)
                .putLabels("device", "edge-1").putLabels("alertname", "R").setSeverity("critical")
                .putAnnotations("summary", "edge-1 noisy").setValue(value).setThreshold(3)
                .setActiveSinceUnixNanos(at).setEvaluatedAtUnixNanos(at).build();
    }

    @Test
    void opensUpdatesResolvesAndReopensUnderANewId() {
        var opened = IncidentLifecycle.apply(null, t(AlertState.ALERT_STATE_FIRING, 100, 3)).orElseThrow();
        assertThat(opened.change()).isEqualTo(IncidentLifecycle.Change.OPENED);
        Incident i = opened.incident();
        assertThat(i.getId()).isEqualTo("00000000000000ab-1");
        assertThat(i.getStatus()).isEqualTo(IncidentStatus.INCIDENT_STATUS_OPEN);
        assertThat(i.getOpenedAtUnixNanos()).isEqualTo(100);
        assertThat(i.getOccurrences()).isEqualTo(1);
        assertThat(i.getSummary()).isEqualTo("edge-1 noisy");
        assertThat(i.getTimelineList()).extracting(e -> e.getKind()).containsExactly("opened");

        var updated = IncidentLifecycle.apply(i, t(AlertState.ALERT_STATE_FIRING, 200, 7)).orElseThrow();
        assertThat(updated.change()).isEqualTo(IncidentLifecycle.Change.UPDATED);
        assertThat(updated.incident().getId()).isEqualTo(i.getId());
        assertThat(updated.incident().getOccurrences()).isEqualTo(2);
        assertThat(updated.incident().getLastSeenUnixNanos()).isEqualTo(200);
        assertThat(updated.incident().getValue()).isEqualTo(7);

        var resolved = IncidentLifecycle.apply(updated.incident(), t(AlertState.ALERT_STATE_RESOLVED, 300, 1)).orElseThrow();
        assertThat(resolved.change()).isEqualTo(IncidentLifecycle.Change.RESOLVED);
        assertThat(resolved.incident().getStatus()).isEqualTo(IncidentStatus.INCIDENT_STATUS_RESOLVED);
        assertThat(resolved.incident().getResolvedAtUnixNanos()).isEqualTo(300);
        assertThat(resolved.incident().getTimelineList()).extracting(e -> e.getKind()).containsExactly("opened", "resolved");

        // A resolve with nothing open, and a second resolve, change nothing.
        assertThat(IncidentLifecycle.apply(null, t(AlertState.ALERT_STATE_RESOLVED, 300, 0))).isEmpty();
        assertThat(IncidentLifecycle.apply(resolved.incident(), t(AlertState.ALERT_STATE_RESOLVED, 400, 0))).isEmpty();

        var reopened = IncidentLifecycle.apply(resolved.incident(), t(AlertState.ALERT_STATE_FIRING, 500, 4)).orElseThrow();
        assertThat(reopened.change()).isEqualTo(IncidentLifecycle.Change.OPENED);
        assertThat(reopened.incident().getId()).isEqualTo("00000000000000ab-2");
    }

    @Test
    void aReplayedTransitionIsRecognisedByItsIdAndNotCountedTwice() {
        AlertTransition firing = t(AlertState.ALERT_STATE_FIRING, 100, 3).toBuilder()
                .setTransitionId("00000000000000ab:firing:100").build();
        Incident opened = IncidentLifecycle.apply(null, firing).orElseThrow().incident();
        assertThat(opened.getLastTransitionId()).isEqualTo("00000000000000ab:firing:100");
        assertThat(IncidentLifecycle.apply(opened, firing)).isEmpty();
        AlertTransition refresh = firing.toBuilder().setTransitionId("00000000000000ab:firing:100:1").build();
        Incident updated = IncidentLifecycle.apply(opened, refresh).orElseThrow().incident();
        assertThat(updated.getOccurrences()).isEqualTo(2);
        assertThat(IncidentLifecycle.apply(updated, refresh)).isEmpty();
    }
}
