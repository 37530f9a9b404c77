package io.nocturne.common.log;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs at most one line per interval, counting what it suppressed in between, so a flood of
 * bad packets cannot flood the log. Thread-safe; one instance per kind of problem.
 */
public final class RateLimitedLog {

    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger logger, java.time.Duration interval) {
        this(logger, interval, System::nanoTime);
    }

    RateLimitedLog(Logger logger, java.time.Duration interval, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    /** Warns with an SLF4J format, unless another warning was logged within the interval. */
    public void warn(String format, Object... args) {
        long now = nanoClock.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            long dropped = suppressed.getAndSet(0);
            if (dropped > 0) {
                logger.warn(format + " ({} similar messages suppressed)", append(args, dropped));
            } else {
                logger.warn(format, args);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }

    private static Object[] append(Object[] args, Object extra) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
        return out;
    }
}
