package io.nocturne.alert.evaluation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The state of one (rule, group): a sliding-window count kept in fixed time buckets, and
 * whether the alert is firing. Buckets bound the memory of a busy key (at most
 * {@value #BUCKETS} + 1 of them, whatever the event rate) at the cost of bucket-sized
 * resolution at the window's edges: with a 1-minute window, one second.
 *
 * <p>A bucket starting at {@code s} holds events with {@code s <= t < s + width}; the count
 * at time {@code now} is the sum of buckets that end after {@code now - window} and start at
 * or before {@code now}. It never under-counts; it may count events of the two edge buckets
 * just outside the exact window {@code (now - window, now]}.
 */
public final class WindowState {

    static final int BUCKETS = 60;
    private static final int MAX_SAMPLES = 5;

    private final String rule;
    private final Map<String, String> groupLabels;
    private final long windowMillis;
    private final long bucketMillis;
    private final Deque<long[]> buckets; // {start, count}, ascending start
    private boolean firing;
    private long activeSinceMillis;
    private long lastEventMillis;
    private boolean changedSinceEmit;
    private final Deque<String> samples;

    /**
     * @param rule        the rule this state belongs to
     * @param groupLabels the group's labels (kept so a restarted instance can still resolve)
     */
    public WindowState(String rule, Map<String, String> groupLabels, long windowMillis) {
        this(rule, groupLabels, windowMillis, new ArrayDeque<>(), false, 0, 0, false, new ArrayDeque<>());
    }

    private WindowState(String rule, Map<String, String> groupLabels, long windowMillis, Deque<long[]> buckets, boolean firing, long activeSinceMillis,
                        long lastEventMillis, boolean changedSinceEmit, Deque<String> samples) {
        this.rule = rule;
        this.groupLabels = Map.copyOf(groupLabels);
        this.windowMillis = windowMillis;
        this.bucketMillis = bucketWidth(windowMillis);
        this.buckets = buckets;
        this.firing = firing;
        this.activeSinceMillis = activeSinceMillis;
        this.lastEventMillis = lastEventMillis;
        this.changedSinceEmit = changedSinceEmit;
        this.samples = samples;
    }

    static long bucketWidth(long windowMillis) {
        return Math.max(1, windowMillis / BUCKETS);
    }

    /** Counts one event at {@code t} (late events inside the window land in their bucket). */
    public void add(long t, String eventId) {
        long start = Math.floorDiv(t, bucketMillis) * bucketMillis;
        long[] last = buckets.peekLast();
        if (last != null && last[0] == start) {
            last[1]++;
        } else if (last == null || last[0] < start) {
            buckets.addLast(new long[] {start, 1});
        } else {
            insertLate(start);
        }
        lastEventMillis = Math.max(lastEventMillis, t);
        changedSinceEmit = true;
        samples.addLast(eventId);
        while (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    private void insertLate(long start) {
        List<long[]> copy = new ArrayList<>(buckets);
        buckets.clear();
        boolean placed = false;
        for (long[] b : copy) {
            if (!placed && b[0] == start) {
                b[1]++;
                placed = true;
            } else if (!placed && b[0] > start) {
                buckets.addLast(new long[] {start, 1});
                placed = true;
            }
            buckets.addLast(b);
        }
        if (!placed) {
            buckets.addLast(new long[] {start, 1});
        }
    }

    /** Drops buckets entirely outside the window ending at {@code now}; returns the count left. */
    public long countAt(long now) {
        long horizon = now - windowMillis;
        while (!buckets.isEmpty() && buckets.peekFirst()[0] + bucketMillis <= horizon) {
            buckets.removeFirst();
        }
        long sum = 0;
        for (long[] b : buckets) {
            if (b[0] <= now) {
                sum += b[1];
            }
        }
        return sum;
    }

    public boolean isFiring() {
        return firing;
    }

    public long activeSinceMillis() {
        return activeSinceMillis;
    }

    public void fire(long at) {
        firing = true;
        activeSinceMillis = at;
    }

    public void resolve() {
        firing = false;
        activeSinceMillis = 0;
    }

    /** Events arrived since the last transition was emitted. */
    public boolean changedSinceEmit() {
        return changedSinceEmit;
    }

    public void emitted() {
        changedSinceEmit = false;
    }

    public boolean isEmpty() {
        return buckets.isEmpty();
    }

    public long lastEventMillis() {
        return lastEventMillis;
    }

    public List<String> samples() {
        return List.copyOf(samples);
    }

    // ---- serialization (state store and its changelog) -----------------------------------

    public static final Serde<WindowState> SERDE = Serdes.serdeFrom(
            (topic, s) -> s == null ? null : s.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + buckets.size() * 16);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeUTF(rule);
            out.writeShort(groupLabels.size());
            for (Map.Entry<String, String> e : new TreeMap<>(groupLabels).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeLong(windowMillis);
            out.writeBoolean(firing);
            out.writeLong(activeSinceMillis);
            out.writeLong(lastEventMillis);
            out.writeBoolean(changedSinceEmit);
            out.writeShort(buckets.size());
            for (long[] b : buckets) {
                out.writeLong(b[0]);
                out.writeLong(b[1]);
            }
            out.writeByte(samples.size());
            for (String s : samples) {
                out.writeUTF(s);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WindowState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readByte() != 1) {
                throw new IllegalArgumentException("unknown WindowState format");
            }
            String rule = in.readUTF();
            int labelCount = in.readShort();
            Map<String, String> labels = new TreeMap<>();
            for (int i = 0; i < labelCount; i++) {
                labels.put(in.readUTF(), in.readUTF());
            }
            long window = in.readLong();
            boolean firing = in.readBoolean();
            long since = in.readLong();
            long lastEvent = in.readLong();
            boolean changed = in.readBoolean();
            int n = in.readShort();
            Deque<long[]> buckets = new ArrayDeque<>(n);
            for (int i = 0; i < n; i++) {
                buckets.addLast(new long[] {in.readLong(), in.readLong()});
            }
            int s = in.readByte();
            Deque<String> samples = new ArrayDeque<>(s);
            for (int i = 0; i < s; i++) {
                samples.addLast(in.readUTF());
            }
            return new WindowState(rule, labels, window, buckets, firing, since, lastEvent, changed, samples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String rule() {
        return rule;
    }

    public Map<String, String> groupLabels() {
        return groupLabels;
    }

    public long windowMillis() {
        return windowMillis;
    }
}
