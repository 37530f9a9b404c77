package io.nocturne.ingest.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nocturne.telemetry.v1.DeadLetter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one listener, created once so the per-packet path only increments. Labels:
 * {@code listener}, {@code protocol} and, where it applies, a {@code reason} from a closed set.
 */
public final class ListenerMetrics {

    final HotCounter packetsReceived;
    final HotCounter bytesReceived;
    final HotCounter eventsDecoded;
    private final Map<DeadLetter.Reason, Counter> decodeFailures = new EnumMap<>(DeadLetter.Reason.class);
    final Counter deadLettersShed;
    final Counter eventsShed;
    final Counter backpressurePauses;
    final Counter connectionsRefused;
    final Counter sourcesRejected;
    final Counter tlsHandshakeFailures;
    private final Counter connections;
    private final AtomicInteger openConnections = new AtomicInteger();

    public ListenerMetrics(MeterRegistry registry, String listener, String protocol) {
        // The three meters every message touches: cheap adders read at scrape time.
        packetsReceived = HotCounter.register(registry, "nocturne.ingest.packets.received",
                "Messages received: datagrams, or frames on TCP", null, "listener", listener, "protocol", protocol);
        bytesReceived = HotCounter.register(registry, "nocturne.ingest.received", "Payload bytes received", "bytes",
                "listener", listener, "protocol", protocol);
        eventsDecoded = HotCounter.register(registry, "nocturne.ingest.events.decoded",
                "Events decoded and handed to the publisher", null, "listener", listener, "protocol", protocol);
        for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
            if (r == DeadLetter.Reason.UNRECOGNIZED || r == DeadLetter.Reason.REASON_UNSPECIFIED) {
                continue;
            }
            decodeFailures.put(r, Counter.builder("nocturne.ingest.decode.failures")
                    .description("Messages that could not be decoded (each one is sent to the dead-letter topic)")
                    .tag("listener", listener).tag("protocol", protocol).tag("reason", label(r))
                    .register(registry));
        }
        eventsShed = Counter.builder("nocturne.ingest.shed")
                .description("Events dropped because Kafka could not take them (producer buffer full or no metadata)")
                .tag("listener", listener).tag("protocol", protocol).tag("kind", "event").register(registry);
        deadLettersShed = Counter.builder("nocturne.ingest.shed")
                .description("Events dropped because Kafka could not take them (producer buffer full or no metadata)")
                .tag("listener", listener).tag("protocol", protocol).tag("kind", "deadletter").register(registry);
        backpressurePauses = Counter.builder("nocturne.ingest.backpressure.pauses")
                .description("Times a TCP connection stopped reading because Kafka was behind")
                .tag("listener", listener).tag("protocol", protocol).register(registry);
        tlsHandshakeFailures = Counter.builder("nocturne.ingest.tls.handshake.failures")
                .description("TLS handshakes that failed (untrusted or missing client certificate, not TLS...)")
                .tag("listener", listener).tag("protocol", protocol).register(registry);
        sourcesRejected = Counter.builder("nocturne.ingest.source.rejected")
                .description("Datagrams dropped or connections closed because the source is not in allowed-sources")
                .tag("listener", listener).tag("protocol", protocol).register(registry);
        connectionsRefused = Counter.builder("nocturne.ingest.connections.refused")
                .description("TCP connections closed on accept because max-connections were open")
                .tag("listener", listener).tag("protocol", protocol).register(registry);
        connections = Counter.builder("nocturne.ingest.connections")
                .description("TCP connections accepted").tag("listener", listener).tag("protocol", protocol)
                .register(registry);
        Gauge.builder("nocturne.ingest.connections.open", openConnections, AtomicInteger::get)
                .description("TCP connections open now").tag("listener", listener).tag("protocol", protocol)
                .register(registry);
    }

    void connectionOpened() {
        connections.increment();
        openConnections.incrementAndGet();
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    int openConnections() {
        return openConnections.get();
    }

    void decodeFailed(DeadLetter.Reason reason) {
        Counter c = decodeFailures.get(reason);
        if (c != null) {
            c.increment();
        }
    }

    /** "REASON_OVERSIZED" → "oversized". */
    static String label(DeadLetter.Reason reason) {
        return reason.name().substring("REASON_".length()).toLowerCase(Locale.ROOT);
    }
}
