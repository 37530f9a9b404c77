package io.nocturne.ingest.listener;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel knows about a UDP listener's sockets, from {@code /proc/net/udp} and
 * {@code /proc/net/udp6}: datagrams it dropped because the socket's receive buffer was full
 * (the {@code drops} column, summed over the SO_REUSEPORT sockets of the port) and the bytes
 * waiting in the receive queues. This is the loss ingest itself never sees: the 3 a.m.
 * question "are we dropping?" starts here. Linux only; elsewhere the meters read NaN.
 */
public final class KernelSocketStats {

    private static final Path UDP = Path.of("/proc/net/udp");
    private static final Path UDP6 = Path.of("/proc/net/udp6");
    private static final long CACHE_NANOS = 1_000_000_000L;

    private final int port;
    private volatile long readAt;
    private volatile long[] cached = {-1, -1};

    private KernelSocketStats(int port) {
        this.port = port;
    }

    /**
     * Registers {@code nocturne_ingest_kernel_drops_total} and {@code nocturne_ingest_kernel_receive_queue_bytes}
     * when the kernel lists the bound port in {@code /proc/net/udp*}. Where it does not (not
     * Linux, or a sandbox whose {@code /proc/net/udp} is empty) nothing is registered: a
     * counter that reads 0 there would claim "no drops" while the kernel drops (the harness
     * then falls back to the system-wide {@code RcvbufErrors}).
     *
     * <p>Micrometer holds function meters' state weakly: the caller must keep the returned
     * object referenced for as long as the meters should read (else, after a GC, the drop
     * counter reads 0 and the queue gauge NaN while the kernel drops).
     *
     * @return the sampled state to keep referenced, or null when nothing was registered
     */
    public static KernelSocketStats register(MeterRegistry registry, String listener, String protocol, int port) {
        KernelSocketStats stats = new KernelSocketStats(port);
        if (stats.sample()[0] < 0) {
            return null;
        }
        FunctionCounter.builder("nocturne.ingest.kernel.drops", stats, s -> nanIfUnknown(s.sample()[0]))
                .description("Datagrams the kernel dropped for this listener's sockets (receive buffer full)")
                .tag("listener", listener).tag("protocol", protocol).register(registry);
        Gauge.builder("nocturne.ingest.kernel.receive.queue", stats, s -> nanIfUnknown(s.sample()[1]))
                .description("Bytes waiting in this listener's socket receive queues")
                .baseUnit("bytes").tag("listener", listener).tag("protocol", protocol).register(registry);
        return stats;
    }

    private static double nanIfUnknown(long v) {
        return v < 0 ? Double.NaN : v;
    }

    /** {drops, rx queue bytes}, re-read at most once a second; -1 when unknown. */
    long[] sample() {
        long now = System.nanoTime();
        if (now - readAt > CACHE_NANOS) {
            long[] fresh = {0, 0};
            boolean found = add(UDP, fresh) | add(UDP6, fresh);
            cached = found ? fresh : new long[] {-1, -1};
            readAt = now;
        }
        return cached;
    }

    private boolean add(Path file, long[] into) {
        if (!Files.isReadable(file)) {
            return false;
        }
        try {
            return accumulate(Files.readAllLines(file), port, into);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sums the rows whose local port is {@code port}. Columns: sl, local_address (hex
     * ADDR:PORT), rem_address, st, tx_queue:rx_queue (hex), tr, tm->when, retrnsmt, uid,
     * timeout, inode, ref, pointer, drops.
     */
    static boolean accumulate(List<String> lines, int port, long[] into) {
        boolean found = false;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            try {
                int colon = f[1].lastIndexOf(':');
                if (colon < 0 || Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
                    continue;
                }
                int q = f[4].indexOf(':');
                long queued = q > 0 ? Long.parseLong(f[4].substring(q + 1), 16) : 0;
                long drops = Long.parseLong(f[f.length - 1]);
                into[0] += drops;
                into[1] += queued;
                found = true;
            } catch (NumberFormatException unexpectedLayout) {
                // another kernel's column layout: skip the row rather than fail the scrape
            }
        }
        return found;
    }
}
