package io.nocturne.ingest.syslog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings for byte ranges (read as ISO-8859-1: names are ASCII) that recur from message to message (host names, app names,
 * Cisco facilities and mnemonics, Junos event tags), shared instead of one new String per
 * message: a direct-mapped table of the last String seen per hash slot.
 *
 * <p>Bounded by construction (a fixed number of slots, names up to a fixed length; longer
 * ones are not cached), so a sender that never repeats itself costs one extra entry object
 * per name and no memory growth. Safe from any thread without locks: an entry is immutable
 * and published through a plain array write; a racing reader sees either entry, and either
 * is a correct answer after its bytes are compared.
 */
final class AsciiCache {

    private record Entry(byte[] bytes, String text) {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final Entry[] slots;
    private final int maxLength;

    /**
     * @param slots     table size, a power of two
     * @param maxLength longest range cached; longer ones get a new String each time
     */
    AsciiCache(int slots, int maxLength) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new Entry[slots];
        this.maxLength = maxLength;
    }

    /**
     * The String of {@code buf[from, to)}, one character per byte (ISO-8859-1, the same as
     * {@code new String(buf, from, to - from, ISO_8859_1)}): equal bytes, equal String.
     */
    String get(byte[] buf, int from, int to) {
        int len = to - from;
        if (len > maxLength) {
            return new String(buf, from, len, StandardCharsets.ISO_8859_1);
        }
        // Eight bytes a step (a byte-at-a-time hash was most of the lookup), then the tail.
        long h = len;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * MIX;
        }
        long tail = 0;
        for (; i < to; i++) {
            tail = tail << 8 | (buf[i] & 0xFF);
        }
        h = (h ^ tail) * MIX;
        int slot = (int) (h >>> 32) & (slots.length - 1);
        Entry e = slots[slot];
        if (e != null && same(e.bytes, buf, from, len)) {
            return e.text;
        }
        byte[] bytes = Arrays.copyOfRange(buf, from, to);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        slots[slot] = new Entry(bytes, text);
        return text;
    }

    /** Names are short: eight bytes a step, then the tail, beats the setup of a vectorized compare. */
    private static boolean same(byte[] known, byte[] buf, int from, int len) {
        if (known.length != len) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if ((long) LONGS.get(known, i) != (long) LONGS.get(buf, from + i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (known[i] != buf[from + i]) {
                return false;
            }
        }
        return true;
    }
}
