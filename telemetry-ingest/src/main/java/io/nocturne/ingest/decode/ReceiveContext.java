package io.nocturne.ingest.decode;

import io.nocturne.common.event.EventIds;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;

/**
 * Where and when some bytes arrived: everything an event's envelope needs besides the body.
 *
 * @param listener        listener name
 * @param transport       UDP, TCP or TLS
 * @param exporter        the sending socket
 * @param local           the local socket that received
 * @param receiveUnixNanos wall-clock receive time
 * @param keepRaw         whether events keep their raw bytes
 */
public record ReceiveContext(String listener, Transport transport, InetSocketAddress exporter,
                             InetSocketAddress local, long receiveUnixNanos, boolean keepRaw) {

    /** An envelope with id, exporter, listener and receive time filled in; no body yet. */
    public TelemetryEvent.Builder newEvent() {
        return TelemetryEvent.newBuilder()
                .setEventId(EventIds.newId(receiveUnixNanos / 1_000_000L))
                .setExporter(endpoint(exporter))
                .setListenerEndpoint(endpoint(local))
                .setListener(listener)
                .setTransport(transport)
                .setReceiveTimeUnixNanos(receiveUnixNanos);
    }

    public String exporterAddress() {
        return address(exporter);
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
}
