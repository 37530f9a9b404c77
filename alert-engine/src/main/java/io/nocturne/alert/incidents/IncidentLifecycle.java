package io.nocturne.alert.incidents;

import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.IncidentEvent;
import io.nocturne.telemetry.v1.IncidentStatus;
import java.util.Optional;

/**
 * How an alert transition changes the incident of its fingerprint. Pure: takes the current
 * incident (if any) and the transition, returns the change to store and publish.
 *
 * <ul>
 *   <li>FIRING, no incident or the last one resolved: a new incident {@code <fingerprint>-<n+1>}, OPEN.</li>
 *   <li>FIRING, incident not resolved: the same incident, occurrences + 1, last seen, value.</li>
 *   <li>RESOLVED, incident not resolved: RESOLVED with its time.</li>
 *   <li>a transition whose id is the one last applied (a replayed duplicate): no change.</li>
 *   <li>anything else (PENDING, RESOLVED without an open incident): no change.</li>
 * </ul>
 */
public final class IncidentLifecycle {

    /** What happened to an incident; the {@code nocturne-incident-change} header on the incidents topic. */
    public enum Change {
        OPENED("opened"), UPDATED("updated"), RESOLVED("resolved");

        private final String label;

        Change(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Optional<Change> fromLabel(String label) {
            for (Change c : values()) {
                if (c.label.equals(label)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    public record Outcome(Change change, Incident incident) {
    }

    private IncidentLifecycle() {
    }

    /**
     * @param latest        the fingerprint's latest incident, or null
     * @param transition    the alert transition
     */
    public static Optional<Outcome> apply(Incident latest, AlertTransition transition) {
        long at = transition.getEvaluatedAtUnixNanos();
        if (latest != null && !transition.getTransitionId().isEmpty()
                && transition.getTransitionId().equals(latest.getLastTransitionId())) {
            return Optional.empty(); // a duplicate (replay): already applied
        }
        boolean open = latest != null && latest.getStatus() != IncidentStatus.INCIDENT_STATUS_RESOLVED;
        if (transition.getState() == AlertState.ALERT_STATE_FIRING) {
            if (open) {
                Incident updated = latest.toBuilder()
                        .setLastSeenUnixNanos(Math.max(latest.getLastSeenUnixNanos(), at))
                        .setOccurrences(latest.getOccurrences() + 1)
                        .setValue(transition.getValue())
                        .putAllAnnotations(transition.getAnnotationsMap())
                        .setSummary(summary(transition))
                        .setLastTransitionId(transition.getTransitionId())
                        .build();
                return Optional.of(new Outcome(Change.UPDATED, updated));
            }
            long n = latest == null ? 1 : sequenceOf(latest.getId()) + 1;
            Incident opened = Incident.newBuilder()
                    .setId(transition.getFingerprint() + "-" + n)
                    .setFingerprint(transition.getFingerprint())
                    .setRule(transition.getRule())
                    .setStatus(IncidentStatus.INCIDENT_STATUS_OPEN)
                    .setSeverity(transition.getSeverity())
                    .setSummary(summary(transition))
                    .putAllLabels(transition.getLabelsMap())
                    .putAllAnnotations(transition.getAnnotationsMap())
                    .setOpenedAtUnixNanos(transition.getActiveSinceUnixNanos() > 0 ? transition.getActiveSinceUnixNanos() : at)
                    .setLastSeenUnixNanos(at)
                    .setOccurrences(1)
                    .setValue(transition.getValue())
                    .setThreshold(transition.getThreshold())
                    .setLastTransitionId(transition.getTransitionId())
                    .addTimeline(IncidentEvent.newBuilder().setAtUnixNanos(at).setKind("opened")
                            .setActor("rule:" + transition.getRule())
                            .setDetail("value " + transition.getValue() + " >= threshold " + transition.getThreshold()))
                    .build();
            return Optional.of(new Outcome(Change.OPENED, opened));
        }
        if (transition.getState() == AlertState.ALERT_STATE_RESOLVED && open) {
            Incident resolved = latest.toBuilder()
                    .setStatus(IncidentStatus.INCIDENT_STATUS_RESOLVED)
                    .setResolvedAtUnixNanos(at)
                    .setValue(transition.getValue())
                    .setLastTransitionId(transition.getTransitionId())
                    .addTimeline(IncidentEvent.newBuilder().setAtUnixNanos(at).setKind("resolved")
                            .setActor("rule:" + transition.getRule())
                            .setDetail("value " + transition.getValue() + " < threshold " + transition.getThreshold()))
                    .build();
            return Optional.of(new Outcome(Change.RESOLVED, resolved));
        }
        return Optional.empty();
    }

    private static String summary(AlertTransition t) {
        String s = t.getAnnotationsOrDefault("summary", "");
        return s.isEmpty() ? t.getRule() + " " + t.getLabelsMap() : s;
    }

    static long sequenceOf(String incidentId) {
        int dash = incidentId.lastIndexOf('-');
        try {
            return dash < 0 ? 0 : Long.parseLong(incidentId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
