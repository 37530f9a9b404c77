package io.nocturne.ingest.flow;

import io.nocturne.ingest.flow.template.TemplateKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Data sets that arrived before their template (common after an exporter or collector
 * restart: RFC 7011 §8 lets data precede its template on UDP), held until the template comes,
 * at most {@code maxSets} of them and for at most {@code timeoutNanos}.
 */
public final class PendingSets {

    /** A held data set: the set's records (without its 4-byte set header). */
    public record Held(TemplateKey key, ExportHeader header, byte[] body) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final int maxSets;
    private final long timeoutNanos;

    public PendingSets(int maxSets, long timeoutNanos) {
        this.maxSets = Math.max(0, maxSets);
        this.timeoutNanos = Math.max(0, timeoutNanos);
    }

    public static PendingSets disabled() {
        return new PendingSets(0, 0);
    }

    /** Holds a set; returns what no longer fits (the oldest), to be dead-lettered. */
    public synchronized List<Held> hold(Held set) {
        if (maxSets == 0) {
            return List.of(set);
        }
        List<Held> out = List.of();
        while (held.size() >= maxSets) {
            if (out.isEmpty()) {
                out = new ArrayList<>();
            }
            out.add(held.pollFirst());
        }
        held.addLast(set);
        return out;
    }

    /** The held sets now decodable with {@code key}'s template. */
    public synchronized List<Held> release(TemplateKey key) {
        if (held.isEmpty()) {
            return List.of();
        }
        List<Held> out = new ArrayList<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.key().equals(key)) {
                out.add(h);
                it.remove();
            }
        }
        return out;
    }

    /** Held sets older than the timeout at {@code nowNanos}, removed. */
    public synchronized List<Held> expire(long nowNanos) {
        List<Held> out = List.of();
        while (!held.isEmpty() && nowNanos - held.peekFirst().header().receiveNanos() > timeoutNanos) {
            if (out.isEmpty()) {
                out = new ArrayList<>();
            }
            out.add(held.pollFirst());
        }
        return out;
    }

    public synchronized int size() {
        return held.size();
    }

    public int maxSets() {
        return maxSets;
    }
}
