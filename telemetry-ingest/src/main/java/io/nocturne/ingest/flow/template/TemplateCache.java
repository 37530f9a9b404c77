package io.nocturne.ingest.flow.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Templates by (exporter, domain, id), shared by every flow listener and thread. Bounded per
 * exporter and in total: a new template beyond a bound evicts the least recently refreshed
 * one (of that exporter, else overall). A template not refreshed within the timeout is
 * expired (RFC 7011 §8.4 for UDP; RFC 3954 §5.2 lets v9 collectors do the same). Lookups are
 * lock-free; changes (rare: templates are resent, not re-defined) take the cache's lock.
 *
 * <p>A template learned over a stream session (IPFIX over TCP) lives as long as its session
 * (RFC 7011 §8: the exporter sends it once per connection and never refreshes it): it does not
 * time out, it is not shared on the templates topic (a restarted or other instance never sees
 * that connection; the exporter resends its templates when it reconnects), and it goes when
 * the session closes.
 */
public final class TemplateCache {

    /** Why a template left the cache, for the evicted metric. */
    public enum Removal { CAPACITY, EXPIRED, WITHDRAWN, SESSION_CLOSED }

    /** Observes removals (metrics). */
    public interface RemovalListener {
        void removed(TemplateKey key, Removal why);
    }

    private final Map<TemplateKey, Template> templates = new ConcurrentHashMap<>();
    private final Map<String, Integer> perExporter = new ConcurrentHashMap<>();
    /** The session each session-scoped template was learned in (absent: datagram-learned). */
    private final Map<TemplateKey, Object> sessions = new ConcurrentHashMap<>();
    private final int maxPerExporter;
    private final int maxTotal;
    private final long timeoutNanos;
    private final TemplateSink sink;
    private final RemovalListener removals;
    private final AtomicLong version = new AtomicLong();

    public TemplateCache(int maxPerExporter, int maxTotal, long timeoutNanos, TemplateSink sink,
                         RemovalListener removals) {
        this.maxPerExporter = Math.max(1, maxPerExporter);
        this.maxTotal = Math.max(1, maxTotal);
        this.timeoutNanos = timeoutNanos <= 0 ? Long.MAX_VALUE : timeoutNanos;
        this.sink = sink == null ? TemplateSink.NONE : sink;
        this.removals = removals == null ? (k, w) -> { } : removals;
    }

    /** An unbounded-enough cache without sharing, for tests and benchmarks. */
    public static TemplateCache inMemory() {
        return new TemplateCache(10_000, 1_000_000, 0, TemplateSink.NONE, null);
    }

    /** The live template, or null (unknown or expired at {@code nowNanos}). */
    public Template get(TemplateKey key, long nowNanos) {
        Template t = templates.get(key);
        if (t == null) {
            return null;
        }
        if (timeoutNanos != Long.MAX_VALUE && nowNanos - t.learnedNanos() > timeoutNanos
                && !sessions.containsKey(key)) {
            remove(key, Removal.EXPIRED, false);
            return null;
        }
        return t;
    }

    /**
     * Learns or refreshes a template; a new or changed definition goes to the sink.
     *
     * @return true if the definition is new or replaced one (pending data may now decode)
     */
    public boolean put(Template template) {
        return put(template, true, null);
    }

    /**
     * Learns or refreshes a template received in a stream session ({@code session} non-null:
     * it lives until {@link #sessionClosed} for that session, is never expired by time and never
     * shared), or from a datagram ({@code session} null: as {@link #put(Template)}).
     */
    public boolean put(Template template, Object session) {
        return put(template, session == null, session);
    }

    /** Restores a template read back from the shared topic (not re-published). */
    public void restore(Template template) {
        put(template, false, null);
    }

    /**
     * Forgets every template learned in {@code session} (its connection closed).
     *
     * @return how many were removed
     */
    public synchronized int sessionClosed(Object session) {
        List<TemplateKey> keys = new ArrayList<>();
        sessions.forEach((k, s) -> {
            if (s == session) {
                keys.add(k);
            }
        });
        for (TemplateKey k : keys) {
            remove(k, Removal.SESSION_CLOSED, false);
        }
        return keys.size();
    }

    private synchronized boolean put(Template template, boolean share, Object session) {
        TemplateKey key = template.key();
        if (session != null) {
            sessions.put(key, session);
        } else if (share) {
            sessions.remove(key); // learned from a datagram now: the datagram rules apply
        }
        Template old = templates.get(key);
        if (old != null && old.sameDefinition(template)) {
            templates.put(key, old.refreshed(Math.max(old.learnedNanos(), template.learnedNanos())));
            return false;
        }
        if (old == null) {
            int n = perExporter.getOrDefault(key.exporter(), 0);
            if (n >= maxPerExporter) {
                evictOldest(key.exporter());
            }
            if (templates.size() >= maxTotal) {
                evictOldest(null);
            }
            perExporter.merge(key.exporter(), 1, Integer::sum);
        }
        templates.put(key, template);
        version.incrementAndGet();
        if (share) {
            sink.learned(template);
        }
        return true;
    }

    /** RFC 7011 §8.1: a template withdrawal (also removes it from the shared topic). */
    public void withdraw(TemplateKey key) {
        remove(key, Removal.WITHDRAWN, true);
    }

    /** RFC 7011 §8.1: "all templates" withdrawal for one domain (of one set kind). */
    public void withdrawAll(String exporter, long domain, boolean options) {
        List<TemplateKey> keys = new ArrayList<>();
        for (Template t : templates.values()) {
            if (t.key().exporter().equals(exporter) && t.key().domain() == domain && t.options() == options) {
                keys.add(t.key());
            }
        }
        keys.forEach(this::withdraw);
    }

    /** Forgets a template read back as a tombstone (not re-published). */
    public void forget(TemplateKey key) {
        synchronized (this) {
            if (templates.remove(key) != null) {
                perExporter.computeIfPresent(key.exporter(), (e, n) -> n <= 1 ? null : n - 1);
            }
            sessions.remove(key);
        }
    }

    private synchronized void remove(TemplateKey key, Removal why, boolean share) {
        // A session's template was never on the shared topic: nothing to withdraw there.
        boolean sessionScoped = sessions.remove(key) != null;
        if (templates.remove(key) != null) {
            perExporter.computeIfPresent(key.exporter(), (e, n) -> n <= 1 ? null : n - 1);
            removals.removed(key, why);
            if (share && !sessionScoped) {
                sink.withdrawn(key);
            }
        }
    }

    private void evictOldest(String exporter) {
        Template oldest = null;
        for (Template t : templates.values()) {
            if ((exporter == null || t.key().exporter().equals(exporter))
                    && (oldest == null || t.learnedNanos() < oldest.learnedNanos())) {
                oldest = t;
            }
        }
        if (oldest != null) {
            // Not a withdrawal: another instance may still hold it, so no tombstone.
            remove(oldest.key(), Removal.CAPACITY, false);
        }
    }

    public int size() {
        return templates.size();
    }

    public int size(String exporter) {
        return perExporter.getOrDefault(exporter, 0);
    }

    public int exporters() {
        return perExporter.size();
    }

    public int maxPerExporter() {
        return maxPerExporter;
    }

    public int maxTotal() {
        return maxTotal;
    }
}
