package io.nocturne.ingest.decode;

import io.nocturne.common.kafka.Topic;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.List;

/**
 * Turns one datagram into the events it carries (one for syslog and traps, many for flow
 * export packets), or says why it cannot. Must not throw on any input.
 */
public interface DatagramDecoder {

    /** Protocol name for metric labels and dead letters, e.g. "syslog". */
    String protocol();

    /** The topic the events go to. */
    Topic topic();

    /**
     * The topic {@code event}, just decoded by this decoder, goes to: {@link #topic()} unless
     * a protocol carries several kinds of event (sFlow: flows and interface counters).
     */
    default Topic topicOf(TelemetryEvent event) {
        return topic();
    }

    /**
     * The events in {@code datagram}, or why there are none. The caller hands the array over:
     * the events may keep views of it (the syslog MSG does, instead of a copy), so it must
     * not be changed or reused afterwards. The listeners allocate one array per message.
     */
    DecodeResult<List<TelemetryEvent>> decode(byte[] datagram, ReceiveContext context);

    /**
     * What to do once {@code event}, just decoded by this decoder, is stored or definitely not
     * (e.g. answer an SNMP INFORM only after Kafka's acknowledgement); null: nothing. Called
     * once per decoded event, right after {@link #decode}, on the same thread.
     */
    default io.nocturne.ingest.publish.TelemetryPublisher.Completion onStored(TelemetryEvent event) {
        return null;
    }

    /**
     * A stream transport's session (a TCP connection, identified by the {@link ReceiveContext.Sockets}
     * its messages carried) has ended: state scoped to it is now void (IPFIX templates sent over
     * TCP live as long as their connection, RFC 7011 §8). Called once, on the connection's thread.
     */
    default void sessionClosed(ReceiveContext.Sockets session) {
    }
}
