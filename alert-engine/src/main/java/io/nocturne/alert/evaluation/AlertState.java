package io.nocturne.alert.evaluation;

import io.nocturne.telemetry.v1.EventRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
final class AlertState {

    enum Phase { INACTIVE, PENDING, FIRING }

    static final int MAX_EVIDENCE = 5;

    final String rule;
    final long signature;
    final Map<String, String> groupLabels;

    Phase phase = Phase.INACTIVE;
    /** When the alert went pending / started firing (episode start; part of transition ids). */
    long pendingSince;
    long activeSince;
    /** Last time the condition was seen to hold, or when it stopped holding (keep_firing_for counts from here). */
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

    AlertState(String rule, long signature, Map<String, String> groupLabels) {
        this.rule = rule;
        this.signature = signature;
        this.groupLabels = Map.copyOf(groupLabels);
    }

    void addEvidence(EventRef ref) {
        evidence.addLast(ref);
        while (evidence.size() > MAX_EVIDENCE) {
            evidence.removeFirst();
        }
    }

    List<EventRef> evidence() {
        return List.copyOf(evidence);
    }

    // ---- serialization (state store and its changelog) -----------------------------------

    private static final int FORMAT = 1;

    static final Serde<AlertState> SERDE = Serdes.serdeFrom(
            (topic, s) -> s == null ? null : s.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeUTF(rule);
            out.writeLong(signature);
            out.writeShort(groupLabels.size());
            for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeByte(phase.ordinal());
            out.writeLong(pendingSince);
            out.writeLong(activeSince);
            out.writeLong(lastTrueAt);
            out.writeBoolean(holding);
            out.writeLong(lastMatchAt);
            out.writeLong(firstSeenAt);
            out.writeBoolean(problemOpen);
            out.writeDouble(value);
            out.writeBoolean(dirty);
            out.writeInt(refreshes);
            out.writeLong(lastEmitWallMillis);
            out.writeLong(windowStart);
            out.writeBoolean(window != null);
            if (window != null) {
                window.write(out);
            }
            out.writeShort(changes.size());
            for (long c : changes) {
                out.writeLong(c);
            }
            out.writeBoolean(flapping);
            out.writeLong(flapSince);
            out.writeByte(evidence.size());
            for (EventRef r : evidence) {
                out.writeUTF(r.getTopic());
                out.writeInt(r.getPartition());
                out.writeLong(r.getOffset());
                out.writeUTF(r.getEventId());
                out.writeLong(r.getReceiveTimeUnixNanos());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AlertState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException("unknown AlertState format");
            }
            String rule = in.readUTF();
            long signature = in.readLong();
            int n = in.readShort();
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                labels.put(in.readUTF(), in.readUTF());
            }
            AlertState s = new AlertState(rule, signature, labels);
            s.phase = Phase.values()[in.readByte()];
            s.pendingSince = in.readLong();
            s.activeSince = in.readLong();
            s.lastTrueAt = in.readLong();
            s.holding = in.readBoolean();
            s.lastMatchAt = in.readLong();
            s.firstSeenAt = in.readLong();
            s.problemOpen = in.readBoolean();
            s.value = in.readDouble();
            s.dirty = in.readBoolean();
            s.refreshes = in.readInt();
            s.lastEmitWallMillis = in.readLong();
            s.windowStart = in.readLong();
            if (in.readBoolean()) {
                s.window = WindowBuckets.read(in);
            }
            int c = in.readShort();
            for (int i = 0; i < c; i++) {
                s.changes.addLast(in.readLong());
            }
            s.flapping = in.readBoolean();
            s.flapSince = in.readLong();
            int e = in.readByte();
            for (int i = 0; i < e; i++) {
                s.evidence.addLast(EventRef.newBuilder().setTopic(in.readUTF()).setPartition(in.readInt())
                        .setOffset(in.readLong()).setEventId(in.readUTF()).setReceiveTimeUnixNanos(in.readLong()).build());
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
