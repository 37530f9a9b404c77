package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.EventRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Everything the engine remembers about one (rule, group): the alert's phase and the times
 * that decide it, the rule kind's own state (window buckets, last event, problem open), flap
 * history and evidence. Kept in the {@value AlertEvaluator#STORE} store (RocksDB, changelogged),
 * so a restarted or moved task carries on where the last commit left it.
 */
public final class AlertState {

    enum Phase { INACTIVE, PENDING, FIRING }

    static final int MAX_EVIDENCE = 5;

    final String rule;
    final long signature;
    final Map<String, String> groupLabels;

    Phase phase = Phase.INACTIVE;
    /** When the alert went pending / started firing (episode start; part of transition ids). */
    long pendingSince;
    long activeSince;
    /** When the condition last stopped holding (keep_firing_for counts from here); meaningful while {@link #holding} is false. */
    long lastTrueAt;
    /** Whether the condition held at the last evaluation. */
    boolean holding;
    /** Last matching (problem) event, and when the group was first known. */
    long lastMatchAt;
    long firstSeenAt;
    /** problem_clear: a problem event came and no clear since. */
    boolean problemOpen;
    /** The last value computed, shown on transitions. */
    double value;
    /** Events arrived since the last transition was emitted; refreshes in this episode; when the last was emitted (wall clock). */
    boolean dirty;
    int refreshes;
    long lastEmitWallMillis;
    /** tumbling windows: start of the window being filled. */
    long windowStart = Long.MIN_VALUE;
    WindowBuckets window;
    /** Flap detection: times of recent state changes; whether the alert is flapping, since when. */
    final Deque<Long> changes = new ArrayDeque<>();
    boolean flapping;
    long flapSince;
    final Deque<EventRef> evidence = new ArrayDeque<>();
    /** Each evidence reference as written, kept beside it: encoded once, not on every state write. */
    private final Deque<byte[]> evidenceWire = new ArrayDeque<>();
    /** Rule, signature and group labels as written: they never change, so they are encoded once. */
    private byte[] head;

    AlertState(String rule, long signature, Map<String, String> groupLabels) {
        this.rule = rule;
        this.signature = signature;
        // Sorted once here, so every serialization writes them in order without sorting again.
        this.groupLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(groupLabels));
    }

    /**
     * Everything a sweep can change, as numbers: two equal snapshots mean the state need not
     * be written back (a sweep never adds evidence or window contents; it moves times, phases
     * and counters, and evicts, which changes sizes).
     */
    long[] snapshot() {
        return new long[] {phase.ordinal(), pendingSince, activeSince, lastTrueAt, holding ? 1 : 0, lastMatchAt, firstSeenAt,
            problemOpen ? 1 : 0, Double.doubleToRawLongBits(value), dirty ? 1 : 0, refreshes, lastEmitWallMillis, windowStart,
            window == null ? -1 : window.size(), changes.size(), flapping ? 1 : 0, flapSince};
    }

    void addEvidence(EventRef ref) {
        StateCodec.Writer w = new StateCodec.Writer(32 + ref.getTopic().length() + ref.getEventId().length());
        writeRef(w, ref);
        addEvidence(ref, w.toBytes());
    }

    private void addEvidence(EventRef ref, byte[] wire) {
        evidence.addLast(ref);
        evidenceWire.addLast(wire);
        while (evidence.size() > MAX_EVIDENCE) {
            evidence.removeFirst();
            evidenceWire.removeFirst();
        }
    }

    private static void writeRef(StateCodec.Writer w, EventRef r) {
        w.s(r.getTopic()).i(r.getPartition()).l(r.getOffset()).s(r.getEventId()).l(r.getReceiveTimeUnixNanos());
    }

    List<EventRef> evidence() {
        return List.copyOf(evidence);
    }

    // ---- serialization (state store and its changelog) -----------------------------------

    /** 3: window buckets as varints (format 2, fixed-width buckets, is still read). */
    private static final int FORMAT = 3;
    private static final int FORMAT_FIXED_BUCKETS = 2;

    public static final Serde<AlertState> SERDE = Serdes.serdeFrom(
            (topic, s) -> s == null ? null : s.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    byte[] toBytes() {
        if (head == null) {
            StateCodec.Writer h = new StateCodec.Writer(64);
            h.s(rule).l(signature).i(groupLabels.size());
            for (Map.Entry<String, String> e : groupLabels.entrySet()) {
                h.s(e.getKey()).s(e.getValue());
            }
            head = h.toBytes();
        }
        StateCodec.Writer w = StateCodec.scratch();
        w.b(FORMAT).raw(head).b(phase.ordinal()).l(pendingSince).l(activeSince).l(lastTrueAt).bool(holding).l(lastMatchAt).l(firstSeenAt)
                .bool(problemOpen).d(value).bool(dirty).i(refreshes).l(lastEmitWallMillis).l(windowStart)
                .bool(window != null);
        if (window != null) {
            window.write(w);
        }
        w.i(changes.size());
        for (long c : changes) {
            w.l(c);
        }
        w.bool(flapping).l(flapSince).i(evidenceWire.size());
        for (byte[] r : evidenceWire) {
            w.raw(r);
        }
        return w.toBytes();
    }

    static AlertState fromBytes(byte[] data) {
        StateCodec.Reader in = new StateCodec.Reader(data);
        int format = in.b();
        if (format != FORMAT && format != FORMAT_FIXED_BUCKETS) {
            throw new IllegalArgumentException("unknown AlertState format " + format);
        }
        int headStart = in.position();
        String rule = in.s();
        long signature = in.l();
        int n = in.i();
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            labels.put(in.s(), in.s());
        }
        AlertState s = new AlertState(rule, signature, labels);
        s.head = in.slice(headStart, in.position());
        s.phase = Phase.values()[in.b()];
        s.pendingSince = in.l();
        s.activeSince = in.l();
        s.lastTrueAt = in.l();
        s.holding = in.bool();
        s.lastMatchAt = in.l();
        s.firstSeenAt = in.l();
        s.problemOpen = in.bool();
        s.value = in.d();
        s.dirty = in.bool();
        s.refreshes = in.i();
        s.lastEmitWallMillis = in.l();
        s.windowStart = in.l();
        if (in.bool()) {
            s.window = format == FORMAT ? WindowBuckets.read(in) : WindowBuckets.readFixed(in);
        }
        int c = in.i();
        for (int i = 0; i < c; i++) {
            s.changes.addLast(in.l());
        }
        s.flapping = in.bool();
        s.flapSince = in.l();
        int e = in.i();
        for (int i = 0; i < e; i++) {
            int from = in.position();
            EventRef ref = EventRef.newBuilder().setTopic(in.s()).setPartition(in.i()).setOffset(in.l())
                    .setEventId(in.s()).setReceiveTimeUnixNanos(in.l()).build();
            s.addEvidence(ref, in.slice(from, in.position()));
        }
        return s;
    }
}
