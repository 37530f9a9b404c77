package io.nocturne.alert.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Write-through cache of decoded states in front of the task's store: a busy key is decoded
 * once, not on every match. Every write still goes to the store (and its changelog) at once,
 * so what is committed is exactly what the store holds. Safe because one task is the only
 * writer of its keys; the cache lives and dies with the processor instance (a restored or
 * re-initialised task starts with an empty one).
 */
public final class StateCache implements AlertEvaluator.StateAccess {

    private final AlertEvaluator.StateAccess store;
    private final LinkedHashMap<String, AlertState> cache;

    public StateCache(AlertEvaluator.StateAccess store, int capacity) {
        this.store = store;
        this.cache = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AlertState> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public AlertState get(String fingerprint) {
        AlertState s = cache.get(fingerprint);
        if (s == null) {
            s = store.get(fingerprint);
            if (s != null) {
                cache.put(fingerprint, s);
            }
        }
        return s;
    }

    @Override
    public void put(String fingerprint, AlertState state) {
        store.put(fingerprint, state);
        cache.put(fingerprint, state);
    }

    @Override
    public void delete(String fingerprint) {
        store.delete(fingerprint);
        cache.remove(fingerprint);
    }

    @Override
    public void forEach(BiConsumer<String, AlertState> visitor) {
        // The sweep puts back every state it keeps, which refreshes the cache with those objects.
        store.forEach(visitor);
    }

    @Override
    public void forEach(String from, String to, BiConsumer<String, AlertState> visitor) {
        store.forEach(from, to, visitor);
    }
}
