package io.nocturne.ingest.publish;

import com.google.protobuf.ByteString;

/**
 * Record keys (exporter addresses as UTF-8) as the byte arrays the producer takes, copied out
 * of their {@link ByteString} once per exporter rather than once per record. A direct-mapped
 * table of immutable entries: lock-free for any number of threads, bounded (a busy network's
 * exporters collide and are copied again now and then, nothing grows). The producer only reads
 * a key array, so one array may back any number of records.
 */
final class RecordKeys {

    private static final int SLOTS = 1024; // a power of two

    private record Entry(ByteString key, byte[] bytes) {
    }

    private final Entry[] table = new Entry[SLOTS];

    byte[] bytes(ByteString key) {
        int slot = key.hashCode() & (SLOTS - 1); // ByteString caches its hash
        Entry e = table[slot];
        if (e != null && (e.key == key || e.key.equals(key))) {
            return e.bytes;
        }
        byte[] bytes = key.toByteArray();
        table[slot] = new Entry(key, bytes);
        return bytes;
    }
}
