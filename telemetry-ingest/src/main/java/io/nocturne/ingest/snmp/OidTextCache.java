package io.nocturne.ingest.snmp;

import java.util.Arrays;

/**
 * An OID's text forms keyed by its BER content octets, so the v2c fast path names a varbind
 * without decoding the OID: decoding every OID into an {@code int[]}, hashing it and looking it
 * up was about a fifth of ingest's CPU per v2c trap. The same OIDs arrive over and over.
 *
 * <p>Open addressing, lock-free reads: an entry is immutable, published by a plain array store
 * (a reader that misses a concurrent insert just computes the text again) and the table
 * itself through a volatile field. Inserts are synchronized; they are rare once a network's
 * OIDs have been seen. Bounded: past {@code maxEntries} the table starts empty again
 * (instance OIDs such as ifIndex values are unbounded in principle; an LRU's bookkeeping is
 * not worth it on this path).
 */
final class OidTextCache {

    private static final int INITIAL_CAPACITY = 1024;

    private record Entry(byte[] key, int hash, TrapNormalizer.OidText text) {
    }

    private final int maxEntries;
    private volatile Entry[] table = new Entry[INITIAL_CAPACITY];
    private int size;

    /** @param maxEntries the most OIDs remembered before starting over (at least 1) */
    OidTextCache(int maxEntries) {
        this.maxEntries = Math.max(1, maxEntries);
    }

    /** The text of the OID whose content octets are {@code buf[off, off + len)}, or null. */
    TrapNormalizer.OidText get(byte[] buf, int off, int len) {
        int h = hash(buf, off, len);
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == h && Arrays.equals(e.key, 0, e.key.length, buf, off, off + len)) {
                return e.text;
            }
        }
    }

    synchronized void put(byte[] buf, int off, int len, TrapNormalizer.OidText text) {
        if (get(buf, off, len) != null) {
            return;
        }
        Entry[] t = table;
        if (size >= maxEntries) {
            t = new Entry[INITIAL_CAPACITY];
            size = 0;
        } else if (2 * (size + 1) > t.length) {
            t = grow(t);
        }
        int h = hash(buf, off, len);
        insert(t, new Entry(Arrays.copyOfRange(buf, off, off + len), h, text));
        size++;
        table = t;
    }

    synchronized int size() {
        return size;
    }

    private static Entry[] grow(Entry[] old) {
        Entry[] t = new Entry[old.length * 2];
        for (Entry e : old) {
            if (e != null) {
                insert(t, e);
            }
        }
        return t;
    }

    private static void insert(Entry[] t, Entry e) {
        int mask = t.length - 1;
        int i = e.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }

    private static int hash(byte[] buf, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        // Spread the high bits down: the table index takes the low ones.
        return h ^ (h >>> 16);
    }
}
