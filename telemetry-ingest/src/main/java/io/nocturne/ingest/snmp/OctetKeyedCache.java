package io.nocturne.ingest.snmp;

import java.util.Arrays;

/**
 * Values keyed by a run of octets in a received datagram, looked up in place (no key is
 * copied to look): the v2c fast path finds an OID's text forms by the OID's BER content
 * octets without decoding it, and a whole varbind by its encoding. Decoding every OID into an
 * {@code int[]}, hashing it and looking it up was about a fifth of ingest's CPU per v2c trap;
 * a network sends the same OIDs, and many of the same varbinds, over and over.
 *
 * <p>Open addressing, lock-free reads: an entry is immutable, published by a plain array store
 * (a reader that misses a concurrent insert just computes the text again) and the table
 * itself through a volatile field. Inserts are synchronized; they are rare once a network's
 * OIDs have been seen. Bounded: past {@code maxEntries} the table starts empty again
 * (instance OIDs such as ifIndex values are unbounded in principle; an LRU's bookkeeping is
 * not worth it on this path).
 */
final class OctetKeyedCache<V> {

    private static final int INITIAL_CAPACITY = 1024;

    /**
     * The most slots a lookup or insert examines. The hash is not keyed, so a sender may craft
     * keys that collide (the OIDs of a trap are the sender's to choose): past this many probes
     * a key is simply not remembered and a lookup is a miss (the caller decodes the octets),
     * so no chain of colliding keys can make a lookup cost more than this many comparisons.
     */
    static final int MAX_PROBES = 64;

    private record Entry<V>(byte[] key, int hash, V value) {
    }

    private final int maxEntries;
    private volatile Entry<V>[] table = newTable(INITIAL_CAPACITY);
    private int size;

    /** @param maxEntries the most keys remembered before starting over (at least 1) */
    OctetKeyedCache(int maxEntries) {
        this.maxEntries = Math.max(1, maxEntries);
    }

    /** The value for the key {@code buf[off, off + len)}, or null. */
    V get(byte[] buf, int off, int len) {
        int h = hash(buf, off, len);
        Entry<V>[] t = table;
        int mask = t.length - 1;
        for (int probe = 0, i = h & mask; probe < MAX_PROBES; probe++, i = (i + 1) & mask) {
            Entry<V> e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == h && Arrays.equals(e.key, 0, e.key.length, buf, off, off + len)) {
                return e.value;
            }
        }
        return null;
    }

    /** Remembers {@code value} for the key {@code buf[off, off + len)} (copied). */
    synchronized void put(byte[] buf, int off, int len, V value) {
        if (get(buf, off, len) != null) {
            return;
        }
        Entry<V>[] t = table;
        if (size >= maxEntries) {
            t = newTable(INITIAL_CAPACITY);
            size = 0;
        } else if (2 * (size + 1) > t.length) {
            t = grow(t);
            size = 0;
            for (Entry<V> e : t) {
                size += e == null ? 0 : 1;
            }
        }
        int h = hash(buf, off, len);
        if (insert(t, new Entry<>(Arrays.copyOfRange(buf, off, off + len), h, value))) {
            size++;
        }
        table = t;
    }

    synchronized int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] newTable(int capacity) {
        return (Entry<V>[]) new Entry<?>[capacity];
    }

    private static <V> Entry<V>[] grow(Entry<V>[] old) {
        Entry<V>[] t = newTable(old.length * 2);
        for (Entry<V> e : old) {
            if (e != null) {
                insert(t, e); // one that no longer fits is forgotten: a later miss decodes it again
            }
        }
        return t;
    }

    /** Puts {@code e} within {@link #MAX_PROBES} of its slot; false (not stored) when that is full. */
    private static <V> boolean insert(Entry<V>[] t, Entry<V> e) {
        int mask = t.length - 1;
        for (int probe = 0, i = e.hash & mask; probe < MAX_PROBES; probe++, i = (i + 1) & mask) {
            if (t[i] == null) {
                t[i] = e;
                return true;
            }
        }
        return false;
    }

    private static int hash(byte[] buf, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + buf[i];
        }
        // Murmur3's finalizer: keys differ mostly in their last octet (ifIndex.1, .2, …), and
        // consecutive hashes would pile up in consecutive slots of a linear-probing table.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
