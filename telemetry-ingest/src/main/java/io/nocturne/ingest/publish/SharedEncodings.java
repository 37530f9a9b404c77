package io.nocturne.ingest.publish;

import com.google.protobuf.Message;

/**
 * The wire encodings of messages that many events share — a sender's endpoints and device,
 * the varbinds the SNMP fast path remembers — worked out once, when the shared instance is
 * made, so {@link TrapEventEncoder} copies them instead of serializing them field by field
 * in every event. Found by identity: a registered instance is immutable, so its bytes never
 * go stale, and an instance that was not registered is simply serialized as usual.
 *
 * <p>Bounded and lock-free: a direct-mapped table of immutable entries; a newer registration
 * takes the slot of an older one (which is then serialized as usual again). Holds at most
 * {@link #SLOTS} messages.
 */
public final class SharedEncodings {

    static final int SLOTS = 1 << 14;

    private record Entry(Message message, byte[] bytes) {
    }

    private static final Entry[] TABLE = new Entry[SLOTS];

    private SharedEncodings() {
    }

    /** Remembers {@code message}'s encoding; returns the message, for use in an initializer. */
    public static <M extends Message> M remember(M message) {
        TABLE[slot(message)] = new Entry(message, message.toByteArray());
        return message;
    }

    /** {@code message}'s encoding if it was remembered (and not since displaced), else null. */
    static byte[] of(Message message) {
        Entry e = TABLE[slot(message)];
        return e != null && e.message == message ? e.bytes : null;
    }

    private static int slot(Message message) {
        int h = System.identityHashCode(message);
        return (h ^ (h >>> 14)) & (SLOTS - 1);
    }
}
