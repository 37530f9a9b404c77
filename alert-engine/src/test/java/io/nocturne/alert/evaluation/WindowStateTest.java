package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class WindowStateTest {

    @Test
    void countsEventsInsideTheWindowAndForgetsOlderOnes() {
        WindowState s = new WindowState("R", Map.of("device", "d"), 60_000);
        s.add(0, "a");
        s.add(10_000, "b");
        s.add(59_999, "c");
        assertThat(s.countAt(59_999)).isEqualTo(3);
        // At 61 s the bucket [0, 1 s) has left the window.
        assertThat(s.countAt(61_000)).isEqualTo(2);
        assertThat(s.countAt(120_000)).isZero();
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void keepsOnlyTheLastFiveSampleIdsAndRoundTripsThroughItsSerde() {
        WindowState s = new WindowState("R", Map.of("device", "edge-1"), 60_000);
        for (int i = 0; i < 8; i++) {
            s.add(1_000L * i, "e" + i);
        }
        s.fire(7_000);
        byte[] bytes = WindowState.SERDE.serializer().serialize("t", s);
        WindowState back = WindowState.SERDE.deserializer().deserialize("t", bytes);
        assertThat(back.rule()).isEqualTo("R");
        assertThat(back.groupLabels()).isEqualTo(Map.of("device", "edge-1"));
        assertThat(back.isFiring()).isTrue();
        assertThat(back.activeSinceMillis()).isEqualTo(7_000);
        assertThat(back.samples()).isEqualTo(List.of("e3", "e4", "e5", "e6", "e7"));
        assertThat(back.countAt(7_000)).isEqualTo(8);
        assertThat(back.lastEventMillis()).isEqualTo(7_000);
    }

    @Test
    void placesLateEventsInTheirBucket() {
        WindowState s = new WindowState("R", Map.of(), 60_000);
        s.add(30_000, "a");
        s.add(10_000, "late");
        s.add(30_500, "b");
        assertThat(s.countAt(30_999)).isEqualTo(3);
        // At 70.5 s the late event's bucket [10 s, 11 s) straddles the trailing edge: still counted.
        assertThat(s.countAt(70_500)).isEqualTo(3);
        assertThat(s.countAt(71_000)).isEqualTo(2);
    }

    /**
     * Against a brute-force count: the bucketed count is never below the exact one and
     * over-counts only events in the buckets straddling the window's edges (the one holding
     * {@code now - window} and the one holding {@code now}).
     */
    @Property(tries = 500)
    void agreesWithAnExactCountUpToOneBucket(@ForAll @Size(max = 200) List<@IntRange(max = 200_000) Integer> times,
                                             @ForAll @IntRange(min = 0, max = 260_000) int now) {
        long window = 60_000;
        WindowState s = new WindowState("R", Map.of(), window);
        times.stream().sorted().forEach(t -> s.add(t, "x"));
        long exact = times.stream().filter(t -> t > now - window && t <= now).count();
        long bucket = WindowState.bucketWidth(window);
        long leadingBucketEnd = Math.floorDiv(now, bucket) * bucket + bucket;
        long edge = times.stream().filter(t -> (t > now - window - bucket && t <= now - window)
                || (t > now && t < leadingBucketEnd)).count();
        long counted = s.countAt(now);
        assertThat(counted).isBetween(exact, exact + edge);
    }
}
