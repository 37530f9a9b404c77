package io.nocturne.ingest.decode;

import io.nocturne.common.event.EventIds;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where and when some bytes arrived: everything an event's envelope needs besides the body.
 *
 * <p>The textual addresses and {@link Endpoint} messages of both sockets are worked out once
 * per {@link Sockets} pair, not per message: a TCP connection keeps one pair for its life, a
 * UDP listener caches them by sender ({@code InetAddress.getHostAddress()} and the two
 * {@code Endpoint} builds cost more than the rest of the envelope).
 */
public final class ReceiveContext {

    /** The two sockets of a message with their envelope forms, immutable and shareable. */
    public static final class Sockets {
        private final InetSocketAddress exporter;
        private final InetSocketAddress local;
        private final String exporterAddress;
        private final Endpoint exporterEndpoint;
        private final Endpoint localEndpoint;

        public Sockets(InetSocketAddress exporter, InetSocketAddress local) {
            this.exporter = exporter;
            this.local = local;
            this.exporterAddress = address(exporter);
            this.exporterEndpoint = endpoint(exporter);
            this.localEndpoint = endpoint(local);
        }

        public InetSocketAddress exporter() {
            return exporter;
        }

        public InetSocketAddress local() {
            return local;
        }
    }

    private final String listener;
    private final Transport transport;
    private final Sockets sockets;
    private final long receiveUnixNanos;
    private final boolean keepRaw;

    /**
     * @param listener         listener name
     * @param transport        UDP, TCP or TLS
     * @param exporter         the sending socket
     * @param local            the local socket that received
     * @param receiveUnixNanos wall-clock receive time
     * @param keepRaw          whether events keep their raw bytes
     */
    public ReceiveContext(String listener, Transport transport, InetSocketAddress exporter,
                          InetSocketAddress local, long receiveUnixNanos, boolean keepRaw) {
        this(listener, transport, new Sockets(exporter, local), receiveUnixNanos, keepRaw);
    }

    /** With the sockets' envelope forms worked out already (the per-message path). */
    public ReceiveContext(String listener, Transport transport, Sockets sockets, long receiveUnixNanos,
                          boolean keepRaw) {
        this.listener = listener;
        this.transport = transport;
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.receiveUnixNanos = receiveUnixNanos;
        this.keepRaw = keepRaw;
    }

    public String listener() {
        return listener;
    }

    public Transport transport() {
        return transport;
    }

    public InetSocketAddress exporter() {
        return sockets.exporter;
    }

    public InetSocketAddress local() {
        return sockets.local;
    }

    public long receiveUnixNanos() {
        return receiveUnixNanos;
    }

    public boolean keepRaw() {
        return keepRaw;
    }

    /** An envelope with id, exporter, listener and receive time filled in; no body yet. */
    public TelemetryEvent.Builder newEvent() {
        return TelemetryEvent.newBuilder()
                .setEventId(EventIds.newId(receiveUnixNanos / 1_000_000L))
                .setExporter(sockets.exporterEndpoint)
                .setListenerEndpoint(sockets.localEndpoint)
                .setListener(listener)
                .setTransport(transport)
                .setReceiveTimeUnixNanos(receiveUnixNanos);
    }

    public String exporterAddress() {
        return sockets.exporterAddress;
    }

    /** The exporter's endpoint as events carry it. */
    public Endpoint exporterEndpoint() {
        return sockets.exporterEndpoint;
    }

    public static Endpoint endpoint(InetSocketAddress socket) {
        if (socket == null) {
            return Endpoint.getDefaultInstance();
        }
        return Endpoint.newBuilder().setAddress(address(socket)).setPort(socket.getPort()).build();
    }

    /** The textual IP (never a reverse-DNS name: lookups would stall the event loop). */
    public static String address(InetSocketAddress socket) {
        if (socket == null) {
            return "";
        }
        if (socket.getAddress() == null) {
            return socket.getHostString();
        }
        String ip = socket.getAddress().getHostAddress();
        int zone = ip.indexOf('%');
        return zone < 0 ? ip : ip.substring(0, zone);
    }

    @Override
    public String toString() {
        return "ReceiveContext[listener=" + listener + ", transport=" + transport + ", exporter=" + sockets.exporter
                + ", local=" + sockets.local + ", receiveUnixNanos=" + receiveUnixNanos + ", keepRaw=" + keepRaw + "]";
    }
}
