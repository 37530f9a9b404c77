package io.nocturne.ingest.syslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fixed set of ASCII names looked up by a byte range of the received message, without a
 * String per lookup: open addressing on a constant-time hash of the range.
 * Used for prefix tables (a substring, its hash and {@code Set.of}'s probe showed up in
 * profiles) and to hand out one shared String for names that recur in every message
 * (structured-data names) instead of a new one each time.
 */
final class AsciiNames {

    private final String[] names;
    private final byte[][] bytes;
    private final int[] hashes;

    AsciiNames(String... list) {
        int size = Integer.highestOneBit(list.length * 4); // at most half full
        names = new String[size];
        bytes = new byte[size][];
        hashes = new int[size];
        for (String n : list) {
            byte[] b = n.getBytes(StandardCharsets.ISO_8859_1);
            int h = hash(b, 0, b.length);
            int slot = h & (size - 1);
            while (names[slot] != null) {
                if (names[slot].equals(n)) {
                    throw new IllegalArgumentException("duplicate name " + n);
                }
                slot = (slot + 1) & (size - 1);
            }
            names[slot] = n;
            bytes[slot] = b;
            hashes[slot] = h;
        }
    }

    /** The name equal to {@code buf[from, to)}, or null when it is not in the set. */
    String find(byte[] buf, int from, int to) {
        int slot = slot(buf, from, to);
        return slot >= 0 ? names[slot] : null;
    }

    /** The slot (below {@link #slots()}) of the name equal to {@code buf[from, to)}, or -1. */
    int slot(byte[] buf, int from, int to) {
        int h = hash(buf, from, to);
        int mask = names.length - 1;
        for (int slot = h & mask; names[slot] != null; slot = (slot + 1) & mask) {
            byte[] n = bytes[slot];
            if (hashes[slot] == h && Arrays.equals(n, 0, n.length, buf, from, to)) {
                return slot;
            }
        }
        return -1;
    }

    /** The name in {@code slot}. */
    String name(int slot) {
        return names[slot];
    }

    /** The table's size: slots are below it. */
    int slots() {
        return names.length;
    }

    boolean contains(byte[] buf, int from, int to) {
        return find(buf, from, to) != null;
    }

    /**
     * Length, first, middle and last byte, mixed: constant time, where a hash over every
     * byte was itself a few percent of the parse; names it does not tell apart are told
     * apart by the comparison.
     */
    private static int hash(byte[] buf, int from, int to) {
        int len = to - from;
        if (len == 0) {
            return 0;
        }
        int h = len * 0x01000193 ^ buf[from] * 0x045d9f3b ^ buf[from + (len >> 1)] * 0x27d4eb2d ^ buf[to - 1];
        return h ^ (h >>> 15);
    }
}
