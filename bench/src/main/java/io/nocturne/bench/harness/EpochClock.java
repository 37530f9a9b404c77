package io.nocturne.bench.harness;

import java.time.Instant;

/**
 * Wall-clock nanoseconds since the epoch with {@code System.nanoTime()} resolution: anchored
 * once to {@code Instant.now()}, then advanced by the monotonic clock, so send and read-back
 * times in one process are comparable to the nanosecond and never go backwards.
 */
public final class EpochClock {

    private final long anchorEpochNanos;
    private final long anchorNanoTime;

    public EpochClock() {
        Instant now = Instant.now();
        this.anchorNanoTime = System.nanoTime();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public long epochNanos() {
        return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }
}
