package io.nocturne.alert.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test access to the package-private Retry-After parser. */
final class WebhookReceiverAccess {
    private WebhookReceiverAccess() {
    }

    static Optional<Duration> retryAfter(Map<String, List<String>> headers) {
        return io.nocturne.alert.notify.webhook.WebhookReceiver.retryAfter(headers);
    }
}
