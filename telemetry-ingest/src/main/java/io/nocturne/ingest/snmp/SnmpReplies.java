package io.nocturne.ingest.snmp;

import java.net.InetSocketAddress;

/**
 * Where the receiver's own messages go: Report-PDUs (RFC 3412 §7.2.6) and INFORM
 * Response-PDUs, sent from the listener's socket back to the sender. Must be callable from
 * any thread (an INFORM is answered from the Kafka producer's callback).
 */
@FunctionalInterface
public interface SnmpReplies {

    void send(InetSocketAddress to, byte[] message);

    /** Sends nothing (decoding without a socket). */
    SnmpReplies NONE = (to, message) -> { };
}
