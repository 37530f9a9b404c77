package io.nocturne.ingest.syslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fixed set of ASCII names looked up by a byte range of the received message, without a
 * String per lookup: open addressing on the range's {@link String#hashCode}-style hash.
 * Used for prefix tables (a substring, its hash and {@code Set.of}'s probe showed up in
 * profiles) and to hand out one shared String for names that recur in every message
 * (structured-data names) instead of a new one each time.
 */
final class AsciiNames {

    private final String[] names;
    private final byte[][] bytes;
    private final int[] hashes;

    AsciiNames(String... list) {
        int size = Integer.highestOneBit(list.length * 4);
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
        int h = hash(buf, from, to);
        int mask = names.length - 1;
        for (int slot = h & mask; names[slot] != null; slot = (slot + 1) & mask) {
            byte[] n = bytes[slot];
            if (hashes[slot] == h && Arrays.equals(n, 0, n.length, buf, from, to)) {
                return names[slot];
            }
        }
        return null;
    }

    boolean contains(byte[] buf, int from, int to) {
        return find(buf, from, to) != null;
    }

    private static int hash(byte[] buf, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + buf[i];
        }
        return h;
    }
}
