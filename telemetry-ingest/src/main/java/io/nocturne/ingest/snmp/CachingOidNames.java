package io.nocturne.ingest.snmp;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the answers of another {@link OidNames}: a network sends the same few hundred
 * trap and varbind OIDs over and over, and a MIB lookup (walking the prefix tree, building
 * the name with its instance suffix) costs as much as decoding the rest of a v2c trap.
 * Bounded: when a cache reaches {@code maxEntries} it is emptied and refills with what is
 * current (instances such as ifIndex values are unbounded in principle, so an LRU's
 * bookkeeping is not worth it on this path). Misses are cached too.
 */
public final class CachingOidNames implements OidNames {

    private static final String NONE = new String("");

    private record EnumKey(String oid, long value) {
    }

    private final OidNames delegate;
    private final int maxEntries;
    private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EnumKey, String> labels = new ConcurrentHashMap<>();

    public CachingOidNames(OidNames delegate, int maxEntries) {
        this.delegate = delegate;
        this.maxEntries = maxEntries;
    }

    @Override
    public String name(String oid) {
        String cached = names.get(oid);
        if (cached == null) {
            String n = delegate.name(oid);
            cached = n == null ? NONE : n;
            if (names.size() >= maxEntries) {
                names.clear();
            }
            names.put(oid, cached);
        }
        return cached == NONE ? null : cached;
    }

    @Override
    public String enumLabel(String oid, long value) {
        EnumKey key = new EnumKey(oid, value);
        String cached = labels.get(key);
        if (cached == null) {
            String l = delegate.enumLabel(oid, value);
            cached = l == null ? NONE : l;
            if (labels.size() >= maxEntries) {
                labels.clear();
            }
            labels.put(key, cached);
        }
        return cached == NONE ? null : cached;
    }
}
