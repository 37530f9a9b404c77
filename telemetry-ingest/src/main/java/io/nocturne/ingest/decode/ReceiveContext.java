package io.nocturne.ingest.decode;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.nocturne.common.event.EventIds;
import io.nocturne.ingest.publish.SharedEncodings;
import io.nocturne.telemetry.v1.DeviceIdentity;
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
        private final DeviceIdentity exporterDevice;

        public Sockets(InetSocketAddress exporter, InetSocketAddress local) {
            this.exporter = exporter;
            this.local = local;
            this.exporterAddress = address(exporter);
            this.exporterEndpoint = SharedEncodings.remember(encodedEndpoint(exporter));
            this.localEndpoint = SharedEncodings.remember(encodedEndpoint(local));
            ByteString address = exporterEndpoint.getAddressBytes();
            DeviceIdentity device = DeviceIdentity.newBuilder().setNameBytes(address).setAddressBytes(address).build();
            device.getSerializedSize(); // memoized: every event that shares it skips the sizing
            this.exporterDevice = SharedEncodings.remember(device);
        }

        /**
         * The endpoint with its address held as UTF-8 bytes: protobuf writes a string field
         * set from bytes by copying them, while a {@code String} is UTF-8 encoded again on
         * every serialization (and these endpoints are serialized with every event).
         */
        private static Endpoint encodedEndpoint(InetSocketAddress socket) {
            if (socket == null) {
                return Endpoint.getDefaultInstance();
            }
            return Endpoint.newBuilder().setAddressBytes(ByteString.copyFromUtf8(address(socket)))
                    .setPort(socket.getPort()).build();
        }

        public InetSocketAddress exporter() {
            return exporter;
        }

        /** The last named device seen from this sender (a device keeps its name: one entry suffices). */
        private record Named(String name, DeviceIdentity device) {
        }

        /** Written and read by any thread: a record's final fields make a racy hand-over safe. */
        private Named lastNamed;

        /** The device called {@code name} at this sender's address, shared while the name stays the same. */
        DeviceIdentity namedDevice(String name) {
            Named n = lastNamed;
            if (n != null && n.name.equals(name)) {
                return n.device;
            }
            DeviceIdentity device = DeviceIdentity.newBuilder().setName(name)
                    .setAddressBytes(exporterEndpoint.getAddressBytes()).build();
            device.getNameBytes(); // held as UTF-8, so serializing it copies bytes
            device.getSerializedSize();
            lastNamed = new Named(name, device); // (syslog events are serialized by protobuf: no SharedEncodings)
            return device;
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

    /** The socket pair: one instance for a TCP connection's life (its session), cached per sender for UDP. */
    public Sockets sockets() {
        return sockets;
    }

    public InetSocketAddress local() {
        return sockets.local;
    }

    /**
     * The device when nothing but the exporter address is known of it (name and address both
     * the exporter's): one shared, pre-sized instance per socket pair instead of one per event.
     */
    public DeviceIdentity exporterDevice() {
        return sockets.exporterDevice;
    }

    /**
     * The device called {@code name} (e.g. a syslog HOSTNAME) at the exporter's address; the
     * instance is shared by the sender's messages while the name stays the same.
     */
    public DeviceIdentity namedDevice(String name) {
        return sockets.namedDevice(name);
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
                .setEventIdBytes(eventIdBytes(receiveUnixNanos / 1_000_000L))
                .setExporter(sockets.exporterEndpoint)
                .setListenerEndpoint(sockets.localEndpoint)
                .setListenerBytes(listenerBytes())
                .setTransport(transport)
                .setReceiveTimeUnixNanos(receiveUnixNanos);
    }

    /** The listener name as UTF-8, encoded once per name (listeners are few). */
    private ByteString listenerBytes() {
        ByteString b = LISTENER_BYTES.get(listener);
        if (b == null) {
            b = ByteString.copyFromUtf8(listener);
            if (LISTENER_BYTES.size() < 1024) {
                LISTENER_BYTES.put(listener, b);
            }
        }
        return b;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, ByteString> LISTENER_BYTES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A new UUIDv7 ({@link EventIds#uuid7}) in its 36-character text form, as ASCII bytes without a String. */
    static ByteString eventIdBytes(long unixMillis) {
        java.util.UUID id = EventIds.uuid7(unixMillis);
        byte[] out = new byte[36];
        hex(id.getMostSignificantBits() >>> 32, out, 0, 8);
        out[8] = '-';
        hex(id.getMostSignificantBits() >>> 16, out, 9, 4);
        out[13] = '-';
        hex(id.getMostSignificantBits(), out, 14, 4);
        out[18] = '-';
        hex(id.getLeastSignificantBits() >>> 48, out, 19, 4);
        out[23] = '-';
        hex(id.getLeastSignificantBits(), out, 24, 12);
        return UnsafeByteOperations.unsafeWrap(out);
    }

    private static void hex(long v, byte[] out, int at, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
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
