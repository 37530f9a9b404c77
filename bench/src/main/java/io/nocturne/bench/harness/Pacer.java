package io.nocturne.bench.harness;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces sends to a target rate without drift: message {@code i} is due at
 * {@code start + i / rate}. It parks until the next message is due and never spins: when
 * the park oversleeps (Linux timer slack, ~50-100 µs) the messages that fell due meanwhile
 * go out back to back, so the average rate holds without burning the CPU the pipeline
 * under test needs. Rate 0 = no pacing.
 */
final class Pacer {

    private final long start;
    private final double nanosPerMessage;

    Pacer(long ratePerSecond) {
        this.start = System.nanoTime();
        this.nanosPerMessage = ratePerSecond <= 0 ? 0 : 1e9 / ratePerSecond;
    }

    void awaitTurn(long i) {
        if (nanosPerMessage == 0) {
            return;
        }
        long due = start + (long) (i * nanosPerMessage);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
