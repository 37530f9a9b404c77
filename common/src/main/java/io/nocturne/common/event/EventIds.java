package io.nocturne.common.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids: UUID version 7 (RFC 9562 §5.7), so ids sort by receive time and index well.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A new version-7 UUID for the given Unix time in milliseconds. */
    public static UUID uuid7(long unixMillis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (r.nextInt() & 0x0FFFL);
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    public static String newId(long unixMillis) {
        return uuid7(unixMillis).toString();
    }
}
