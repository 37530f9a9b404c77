package io.nocturne.alert.evaluation;

import io.nocturne.alert.rules.Aggregate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one (rule, group) in a time window, reduced to fixed buckets so a busy key
 * costs bounded memory whatever its event rate: a sliding window keeps {@value #BUCKETS}
 * buckets (1 s each for a 1-minute window), a tumbling window one. Each bucket keeps count,
 * sum, min and max; distinct values are kept by last-seen time, at most
 * {@value #MAX_DISTINCT} of them.
 *
 * <p>A bucket starting at {@code s} holds events with {@code s <= t < s + width}; the value
 * at {@code now} covers the buckets that end after {@code now - window} and start at or
 * before {@code now}. It never under-counts; it may include events of the edge bucket just
 * outside the exact window {@code (now - window, now]}.
 */
final class WindowBuckets {

    static final int BUCKETS = 60;
    static final int MAX_DISTINCT = 10_000;

    private final long width;
    private final Deque<double[]> buckets; // {start, count, sum, min, max}, ascending start
    private final LinkedHashMap<String, Long> distinct; // value -> last seen, oldest first

    WindowBuckets(long width) {
        this(width, new ArrayDeque<>(), new LinkedHashMap<>());
    }

    /** Count and sum over all buckets held, kept as buckets come and go (recomputed when read back). */
    private double totalCount;
    private double totalSum;

    private WindowBuckets(long width, Deque<double[]> buckets, LinkedHashMap<String, Long> distinct) {
        this.width = Math.max(1, width);
        this.buckets = buckets;
        this.distinct = distinct;
        for (double[] b : buckets) {
            totalCount += b[1];
            totalSum += b[2];
        }
    }

    static long slidingWidth(long windowMillis) {
        return Math.max(1, windowMillis / BUCKETS);
    }

    long width() {
        return width;
    }

    void add(long t, double value, String distinctKey) {
        double start = (double) (Math.floorDiv(t, width) * width);
        double[] last = buckets.peekLast();
        double[] b;
        if (last != null && last[0] == start) {
            b = last;
        } else if (last == null || last[0] < start) {
            b = new double[] {start, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            buckets.addLast(b);
        } else {
            b = lateBucket(start);
        }
        b[1]++;
        b[2] += value;
        totalCount++;
        totalSum += value;
        b[3] = Math.min(b[3], value);
        b[4] = Math.max(b[4], value);
        if (distinctKey != null && !distinctKey.isEmpty()) {
            Long seen = distinct.remove(distinctKey);
            distinct.put(distinctKey, seen == null ? t : Math.max(seen, t));
            if (distinct.size() > MAX_DISTINCT) {
                Iterator<String> it = distinct.keySet().iterator();
                it.next();
                it.remove();
            }
        }
    }

    private double[] lateBucket(double start) {
        List<double[]> copy = new ArrayList<>(buckets);
        buckets.clear();
        double[] placed = null;
        for (double[] b : copy) {
            if (placed == null && b[0] == start) {
                placed = b;
            } else if (placed == null && b[0] > start) {
                placed = new double[] {start, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
                buckets.addLast(placed);
            }
            buckets.addLast(b);
        }
        if (placed == null) {
            placed = new double[] {start, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            buckets.addLast(placed);
        }
        return placed;
    }

    /** Forgets buckets (and distinct values) wholly before {@code from}. */
    void evictBefore(long from) {
        while (!buckets.isEmpty() && buckets.peekFirst()[0] + width <= from) {
            double[] gone = buckets.removeFirst();
            totalCount -= gone[1];
            totalSum -= gone[2];
        }
        if (buckets.isEmpty()) {
            totalCount = 0;
            totalSum = 0; // no drift carried into the next burst
        }
        distinct.values().removeIf(seen -> seen < from);
    }

    /**
     * The aggregate over the buckets overlapping {@code [from, to]}; NaN when it has no value
     * (avg, min, max of no events).
     */
    double value(Aggregate aggregate, long from, long to, long windowMillis) {
        if (!buckets.isEmpty() && buckets.peekFirst()[0] + width > from && buckets.peekLast()[0] <= to) {
            // Every bucket held is in range (the usual case after evictBefore): no scan for these.
            switch (aggregate) {
                case COUNT:
                    return totalCount;
                case SUM:
                    return totalSum;
                case AVG:
                    return totalCount == 0 ? Double.NaN : totalSum / totalCount;
                case RATE:
                    return totalSum / (windowMillis / 1000.0);
                default:
                    break;
            }
        }
        double count = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] b : buckets) {
            if (b[0] + width > from && b[0] <= to) {
                count += b[1];
                sum += b[2];
                min = Math.min(min, b[3]);
                max = Math.max(max, b[4]);
            }
        }
        return switch (aggregate) {
            case COUNT -> count;
            case SUM -> sum;
            case AVG -> count == 0 ? Double.NaN : sum / count;
            case MIN -> count == 0 ? Double.NaN : min;
            case MAX -> count == 0 ? Double.NaN : max;
            case RATE -> sum / (windowMillis / 1000.0);
            case DISTINCT -> distinct.values().stream().filter(seen -> seen >= from && seen <= to).count();
        };
    }

    /** Buckets plus distinct values held: changes whenever something is evicted. */
    long size() {
        return ((long) buckets.size() << 32) + distinct.size();
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }

    void clear() {
        buckets.clear();
        distinct.clear();
        totalCount = 0;
        totalSum = 0;
    }

    void write(StateCodec.Writer w) {
        // Counting windows (every value 1) need no sum/min/max on the wire: a 1-minute window
        // of 60 buckets is then ~0.7 KB instead of ~2.4 KB per state write.
        boolean counts = true;
        for (double[] b : buckets) {
            if (b[2] != b[1] || b[3] != 1 || b[4] != 1) {
                counts = false;
                break;
            }
        }
        w.l(width).bool(counts).i(buckets.size());
        for (double[] b : buckets) {
            w.l((long) b[0]).l((long) b[1]);
            if (!counts) {
                w.d(b[2]).d(b[3]).d(b[4]);
            }
        }
        w.i(distinct.size());
        for (Map.Entry<String, Long> e : distinct.entrySet()) {
            w.s(e.getKey()).l(e.getValue());
        }
    }

    static WindowBuckets read(StateCodec.Reader in) {
        long width = in.l();
        boolean counts = in.bool();
        int n = in.i();
        Deque<double[]> buckets = new ArrayDeque<>(n);
        for (int i = 0; i < n; i++) {
            double start = in.l();
            double count = in.l();
            buckets.addLast(counts ? new double[] {start, count, count, 1, 1}
                    : new double[] {start, count, in.d(), in.d(), in.d()});
        }
        int d = in.i();
        LinkedHashMap<String, Long> distinct = new LinkedHashMap<>();
        for (int i = 0; i < d; i++) {
            distinct.put(in.s(), in.l());
        }
        return new WindowBuckets(width, buckets, distinct);
    }
}
