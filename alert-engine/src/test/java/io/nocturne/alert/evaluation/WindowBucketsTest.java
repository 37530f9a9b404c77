package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.alert.rules.Aggregate;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class WindowBucketsTest {

    @Test
    void countsSumsAndForgetsByBucket() {
        WindowBuckets w = new WindowBuckets(WindowBuckets.slidingWidth(60_000)); // 1 s buckets
        w.add(0, 10, "a");
        w.add(500, 20, "b");
        w.add(30_000, 5, "a");
        w.add(10_000, 1, "c"); // late, lands in its bucket
        assertThat(w.value(Aggregate.COUNT, 0, 30_000, 60_000)).isEqualTo(4);
        assertThat(w.value(Aggregate.SUM, 0, 30_000, 60_000)).isEqualTo(36);
        assertThat(w.value(Aggregate.MIN, 0, 30_000, 60_000)).isEqualTo(1);
        assertThat(w.value(Aggregate.MAX, 0, 30_000, 60_000)).isEqualTo(20);
        assertThat(w.value(Aggregate.DISTINCT, 0, 30_000, 60_000)).isEqualTo(3);
        assertThat(w.value(Aggregate.RATE, 0, 30_000, 60_000)).isEqualTo(36 / 60.0);
        w.evictBefore(5_000);
        assertThat(w.value(Aggregate.COUNT, 5_001, 65_000, 60_000)).isEqualTo(2);
        assertThat(w.value(Aggregate.AVG, 5_001, 65_000, 60_000)).isEqualTo(3);
        assertThat(w.value(Aggregate.DISTINCT, 5_001, 65_000, 60_000)).isEqualTo(2);
    }

    /** The running totals agree with a scan (a window read back from bytes recomputes them). */
    @Property(tries = 300)
    void runningTotalsAgreeWithAScan(@ForAll @Size(max = 200) List<@IntRange(max = 200_000) Integer> times) {
        WindowBuckets w = new WindowBuckets(WindowBuckets.slidingWidth(60_000));
        long latest = 0;
        for (int t : times) {
            w.add(t, t % 7, "");
            latest = Math.max(latest, t);
            w.evictBefore(latest - 60_000);
            StateCodec.Writer out = new StateCodec.Writer(64);
            w.write(out);
            WindowBuckets fresh = WindowBuckets.read(new StateCodec.Reader(out.toBytes()));
            for (Aggregate a : List.of(Aggregate.COUNT, Aggregate.SUM, Aggregate.AVG, Aggregate.RATE)) {
                double v = w.value(a, latest - 60_000 + 1, latest, 60_000);
                double expected = fresh.value(a, latest - 60_000 + 1, latest, 60_000);
                assertThat(v).as("%s at %d", a, latest).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }
}
