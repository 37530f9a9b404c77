package io.nocturne.bench.harness;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces sends to a target rate without drift: message {@code i} is due at
 * {@code start + i / rate}; parks while far from due, spins the last 50 µs. Rate 0 = no pacing.
 */
final class Pacer {

    private static final long SPIN_NANOS = 50_000;

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
            if (wait > SPIN_NANOS) {
                LockSupport.parkNanos(wait - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
