package io.nocturne.alert.notify;

import io.nocturne.alert.incidents.IncidentLifecycle;
import io.nocturne.telemetry.v1.Incident;
import java.time.Duration;
import java.util.Optional;

/**
 * One integration (webhook, later PagerDuty, Slack...). Makes one delivery attempt; retry,
 * back-off and logging are the notifier's, written once for all receivers.
 */
public interface Receiver {

    /** Name for logs and metric labels, e.g. "webhook". */
    String name();

    /** Whether this receiver wants to hear about this change at all. */
    boolean wants(IncidentLifecycle.Change change);

    Attempt deliver(Incident incident, IncidentLifecycle.Change change);

    /** The outcome of one attempt. */
    sealed interface Attempt {
        record Delivered() implements Attempt {
        }

        /** Worth trying again (5xx, 429, I/O); {@code retryAfter} when the server said when. */
        record Retryable(String reason, Optional<Duration> retryAfter) implements Attempt {
        }

        /** Trying again would fail the same way (4xx other than 408/429). */
        record Failed(String reason) implements Attempt {
        }
    }
}
