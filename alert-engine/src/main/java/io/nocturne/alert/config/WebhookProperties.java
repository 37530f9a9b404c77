package io.nocturne.alert.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** {@code nocturne.notify.webhook.*}: the webhook receiver (Alertmanager v4 payload). */
@ConfigurationProperties("nocturne.notify.webhook")
public class WebhookProperties {

    /** Where to POST; empty disables the receiver. Env: {@code NOCTURNE_WEBHOOK_URL}. */
    private String url = "";
    /** Also notify when an incident resolves (Alertmanager's send_resolved). */
    private boolean sendResolved = true;
    /** Per-request timeout. */
    private Duration timeout = Duration.ofSeconds(10);
    /** Attempts per notification before it is logged as failed (back-off 1 s, doubling, max 30 s). */
    private int maxAttempts = 5;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public boolean isSendResolved() {
        return sendResolved;
    }

    public void setSendResolved(boolean sendResolved) {
        this.sendResolved = sendResolved;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }
}
