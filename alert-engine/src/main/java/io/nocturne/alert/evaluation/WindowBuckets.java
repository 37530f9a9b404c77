package io.nocturne.alert.evaluation;

import io.nocturne.alert.rules.Aggregate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
    /*
     * The buckets held, ascending by start, as parallel arrays (column i is one bucket; a
     * bucket is named by its index, start / width): a window is scanned or written on every
     * match, and primitive arrays are read in one pass where a collection of small arrays
     * costs a pointer chase per bucket.
     */
    private long[] index;
    private double[] count;
    private double[] sum;
    private double[] min;
    private double[] max;
    private int n;
    private final LinkedHashMap<String, Long> distinct; // value -> last seen, oldest first

    /** Count and sum over all buckets held, kept as buckets come and go (recomputed when read back). */
    private double totalCount;
    private double totalSum;
    /** Every value added to the buckets held is 1 (a counting window): sum, min and max need not be written. */
    private boolean unitValues = true;

    WindowBuckets(long width) {
        this(width, 4, new LinkedHashMap<>());
    }

    private WindowBuckets(long width, int capacity, LinkedHashMap<String, Long> distinct) {
        this.width = Math.max(1, width);
        int c = Math.max(capacity, 1);
        this.index = new long[c];
        this.count = new double[c];
        this.sum = new double[c];
        this.min = new double[c];
        this.max = new double[c];
        this.distinct = distinct;
    }

    static long slidingWidth(long windowMillis) {
        return Math.max(1, windowMillis / BUCKETS);
    }

    long width() {
        return width;
    }

    void add(long t, double value, String distinctKey) {
        long k = Math.floorDiv(t, width);
        int i;
        if (n > 0 && index[n - 1] == k) {
            i = n - 1;
        } else if (n == 0 || index[n - 1] < k) {
            i = insert(n, k);
        } else {
            i = lateBucket(k);
        }
        count[i]++;
        sum[i] += value;
        min[i] = Math.min(min[i], value);
        max[i] = Math.max(max[i], value);
        totalCount++;
        totalSum += value;
        unitValues &= value == 1;
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

    /** Bucket {@code k}, before the newest one: found, or inserted in order. */
    private int lateBucket(long k) {
        int i = Arrays.binarySearch(index, 0, n, k);
        return i >= 0 ? i : insert(-i - 1, k);
    }

    /** An empty bucket {@code k} at column {@code i}, the columns from {@code i} on moved up. */
    private int insert(int i, long k) {
        if (n == index.length) {
            int c = Math.max(4, n * 2);
            index = Arrays.copyOf(index, c);
            count = Arrays.copyOf(count, c);
            sum = Arrays.copyOf(sum, c);
            min = Arrays.copyOf(min, c);
            max = Arrays.copyOf(max, c);
        }
        if (i < n) {
            System.arraycopy(index, i, index, i + 1, n - i);
            System.arraycopy(count, i, count, i + 1, n - i);
            System.arraycopy(sum, i, sum, i + 1, n - i);
            System.arraycopy(min, i, min, i + 1, n - i);
            System.arraycopy(max, i, max, i + 1, n - i);
        }
        index[i] = k;
        count[i] = 0;
        sum[i] = 0;
        min[i] = Double.POSITIVE_INFINITY;
        max[i] = Double.NEGATIVE_INFINITY;
        n++;
        return i;
    }

    /** Forgets buckets (and distinct values) wholly before {@code from}. */
    void evictBefore(long from) {
        int gone = 0;
        while (gone < n && (index[gone] + 1) * width <= from) {
            totalCount -= count[gone];
            totalSum -= sum[gone];
            gone++;
        }
        if (gone > 0) {
            int left = n - gone;
            System.arraycopy(index, gone, index, 0, left);
            System.arraycopy(count, gone, count, 0, left);
            System.arraycopy(sum, gone, sum, 0, left);
            System.arraycopy(min, gone, min, 0, left);
            System.arraycopy(max, gone, max, 0, left);
            n = left;
        }
        if (n == 0) {
            totalCount = 0;
            totalSum = 0; // no drift carried into the next burst
            unitValues = true;
        }
        if (!distinct.isEmpty()) {
            distinct.values().removeIf(seen -> seen < from);
        }
    }

    /**
     * The aggregate over the buckets overlapping {@code [from, to]}; NaN when it has no value
     * (avg, min, max of no events).
     */
    double value(Aggregate aggregate, long from, long to, long windowMillis) {
        if (n > 0 && (index[0] + 1) * width > from && index[n - 1] * width <= to) {
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
        double c = 0;
        double total = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            long start = index[i] * width;
            if (start + width > from && start <= to) {
                c += count[i];
                total += sum[i];
                lo = Math.min(lo, min[i]);
                hi = Math.max(hi, max[i]);
            }
        }
        return switch (aggregate) {
            case COUNT -> c;
            case SUM -> total;
            case AVG -> c == 0 ? Double.NaN : total / c;
            case MIN -> c == 0 ? Double.NaN : lo;
            case MAX -> c == 0 ? Double.NaN : hi;
            case RATE -> total / (windowMillis / 1000.0);
            case DISTINCT -> distinct.values().stream().filter(seen -> seen >= from && seen <= to).count();
        };
    }

    /** Buckets plus distinct values held: changes whenever something is evicted. */
    long size() {
        return ((long) n << 32) + distinct.size();
    }

    boolean isEmpty() {
        return n == 0;
    }

    void clear() {
        n = 0;
        distinct.clear();
        totalCount = 0;
        totalSum = 0;
        unitValues = true;
    }

    /**
     * Written on every state change, so compact: bucket starts as gaps in bucket widths and
     * counts as varints (one byte each in a busy window: a full 60-bucket counting window is
     * ~130 bytes, not ~1 KB); counting windows (every value 1) need no sum/min/max.
     */
    void write(StateCodec.Writer w) {
        boolean counts = unitValues;
        w.l(width).bool(counts).v(n);
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                w.l(index[0]);
            } else {
                w.v(index[i] - index[i - 1]);
            }
            w.v((long) count[i]);
            if (!counts) {
                w.d(sum[i]).d(min[i]).d(max[i]);
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
        int buckets = (int) in.v();
        WindowBuckets wb = new WindowBuckets(width, buckets, new LinkedHashMap<>());
        long k = 0;
        for (int i = 0; i < buckets; i++) {
            k = i == 0 ? in.l() : k + in.v();
            double c = in.v();
            if (counts) {
                wb.append(k, c, c, 1, 1);
            } else {
                wb.append(k, c, in.d(), in.d(), in.d());
            }
        }
        readDistinct(in, wb.distinct);
        return wb;
    }

    /** State format 2: every bucket's start and count as eight bytes each. */
    static WindowBuckets readFixed(StateCodec.Reader in) {
        long width = in.l();
        boolean counts = in.bool();
        int buckets = in.i();
        WindowBuckets wb = new WindowBuckets(width, buckets, new LinkedHashMap<>());
        for (int i = 0; i < buckets; i++) {
            long k = Math.floorDiv(in.l(), wb.width);
            double c = in.l();
            if (counts) {
                wb.append(k, c, c, 1, 1);
            } else {
                wb.append(k, c, in.d(), in.d(), in.d());
            }
        }
        readDistinct(in, wb.distinct);
        return wb;
    }

    /** A bucket read back, after those before it. */
    private void append(long k, double c, double total, double lo, double hi) {
        int i = insert(n, k);
        count[i] = c;
        sum[i] = total;
        min[i] = lo;
        max[i] = hi;
        totalCount += c;
        totalSum += total;
        unitValues &= total == c && lo == 1 && hi == 1;
    }

    private static void readDistinct(StateCodec.Reader in, LinkedHashMap<String, Long> distinct) {
        int d = in.i();
        for (int i = 0; i < d; i++) {
            distinct.put(in.s(), in.l());
        }
    }
}
