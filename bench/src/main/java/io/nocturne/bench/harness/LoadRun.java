package io.nocturne.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives one syslog load run against a running ingest and accounts for every message:
 * counters before, send (paced, many exporters), read back from Kafka concurrently, drain,
 * counters after, report.
 */
public final class LoadRun {

    private LoadRun() {
    }

    /** SNMP INFORM round trips: send time by request-id (= sequence number), answers timed. */
    static final class InformTimes {
        private final long[] sentAt;
        private final org.HdrHistogram.Histogram roundTrip = new org.HdrHistogram.Histogram(
                java.util.concurrent.TimeUnit.MINUTES.toNanos(5), 3);
        private long answered;

        InformTimes(int count) {
            sentAt = new long[count];
        }

        void sent(int seq, long nanoTime) {
            sentAt[seq] = nanoTime;
        }

        void poll(Sender.Udp sender) throws IOException {
            sender.pollResponses((bytes, len) -> {
                long raw = TrapMix.responseRequestId(bytes, len);
                long id = raw < 0 ? -1 : raw & 0x3FFFFFFF; // fastDatagram: REQUEST_ID_BASE | seq
                if (id >= 0 && id < sentAt.length && sentAt[(int) id] != 0) {
                    roundTrip.recordValue(Math.max(1, System.nanoTime() - sentAt[(int) id]));
                    sentAt[(int) id] = 0; // a retransmitted answer is not counted twice
                    answered++;
                }
            });
        }

        /** Polls until every INFORM is answered or nothing arrived for {@code idle}. */
        void awaitAnswers(Sender.Udp sender, long sent, Duration idle) throws IOException, InterruptedException {
            long lastProgress = System.nanoTime();
            long seen = answered;
            while (answered < sent && System.nanoTime() - lastProgress < idle.toNanos()) {
                poll(sender);
                if (answered != seen) {
                    seen = answered;
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(1);
                }
            }
        }

        long answered() {
            return answered;
        }

        org.HdrHistogram.Histogram roundTrip() {
            return roundTrip;
        }
    }

    /**
     * When ingest's acknowledged-records counter for the topic grew (sampled every 200 ms
     * on its own thread, from the start of the run until {@link #stop}).
     */
    static final class AckTimeline {
        private final java.util.List<long[]> samples = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final Thread sampler;
        private volatile boolean running = true;

        AckTimeline(java.net.URI metrics, String filter, PrometheusScrape before) {
            long base = before.get("nocturne_ingest_events_published_total");
            sampler = new Thread(() -> {
                while (running) {
                    long now = System.nanoTime();
                    PrometheusScrape s = PrometheusScrape.fetch(metrics, filter);
                    if (s.available() && base >= 0) {
                        samples.add(new long[] {now, s.get("nocturne_ingest_events_published_total") - base});
                    }
                    // Once a second: each scrape renders all of ingest's metrics (~8 ms of its CPU),
                    // which at 5 a second took ~4 % of a core from the pipeline being measured.
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                }
            }, "harness-acks");
            sampler.setDaemon(true);
            sampler.start();
        }

        AckTimeline stop() throws InterruptedException {
            running = false;
            sampler.join();
            return this;
        }

        /**
         * When {@code count} records were acknowledged: interpolated between the two samples
         * around it (the count grows steadily within a second), else {@code fallback}.
         */
        long reachedAt(long count, long fallback) {
            synchronized (samples) {
                long[] previous = null;
                for (long[] s : samples) {
                    if (s[1] >= count) {
                        if (previous == null || s[1] == previous[1]) {
                            return s[0];
                        }
                        return previous[0] + (long) ((double) (count - previous[1]) / (s[1] - previous[1])
                                * (s[0] - previous[0]));
                    }
                    previous = s;
                }
            }
            return fallback;
        }
    }

    /** snmp-v3 runs hold every encrypted trap in memory (~250 B): 2 M fit the harness's 1 GiB heap. */
    static final long MAX_V3_PRE_ENCODED = 2_000_000;

    public static LoadReport run(String scenario, LoadOptions o) throws IOException, InterruptedException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        EpochClock clock = new EpochClock();
        String filter = o.listener() == null ? null : "listener=\"" + o.listener() + "\"";
        PrometheusScrape before = o.ingestMetrics() == null ? PrometheusScrape.unavailable()
                : PrometheusScrape.fetch(o.ingestMetrics(), filter);
        PrometheusScrape publishedBefore = o.ingestMetrics() == null ? PrometheusScrape.unavailable()
                : PrometheusScrape.fetch(o.ingestMetrics(), "topic=\"" + o.topic() + "\"");
        KernelUdpStats kernelBefore = KernelUdpStats.read();

        AtomicLong sentCount = new AtomicLong();
        InformTimes informs = o.traps() == TrapMix.Kind.INFORM ? new InformTimes((int) o.count()) : null;
        AtomicBoolean sending = new AtomicBoolean(true);
        long firstSend;
        long lastSend;
        try (KafkaReadback readback = new KafkaReadback(o.bootstrapServers(), o.topic(), run, clock,
                o.fastReadback(), o.deferredReadback(), o.flows() != null)) {
            Thread reader = new Thread(() -> {
                while (sending.get()) {
                    if (o.deferredReadback()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
                    } else {
                        readback.pollOnce(Duration.ofMillis(50));
                    }
                }
                readback.drain(sentCount.get(), o.drainIdle());
            }, "harness-readback");
            AckTimeline acks = o.deferredReadback() && o.ingestMetrics() != null
                    ? new AckTimeline(o.ingestMetrics(), "topic=\"" + o.topic() + "\"", publishedBefore) : null;
            byte[][] v3 = null;
            if (o.traps() == TrapMix.Kind.V3) {
                if (o.count() > MAX_V3_PRE_ENCODED) {
                    throw new IllegalArgumentException("--count for snmp-v3 is at most " + MAX_V3_PRE_ENCODED
                            + ": the run's traps are encrypted before it starts and held in memory (~250 bytes each)");
                }
                long t = System.nanoTime();
                v3 = TrapMix.preEncodeV3((int) o.count(), o.exporters(), run,
                        o.ratePerSecond() > 0 ? 1e9 / o.ratePerSecond() : 0,
                        Runtime.getRuntime().availableProcessors());
                System.err.printf(java.util.Locale.ROOT, "encoded %d SNMPv3 traps in %.1f s before the run%n",
                        o.count(), (System.nanoTime() - t) / 1e9);
            }
            long cpuBefore = processCpuNanos();
            firstSend = System.nanoTime();
            long deadline = firstSend + o.maxDuration().toNanos();
            try (Sender sender = Sender.open(o.transport(), o.target(), o.exporters())) {
                reader.start();
                if (v3 != null) {
                    readback.markerTimeBase(clock.epochNanos()); // the pre-encoded markers' offsets start now
                }
                Pacer pacer = new Pacer(o.ratePerSecond());
                MixWriter mix = new MixWriter(run, o.exporters());
                TrapMix traps = o.traps() == null ? null : new TrapMix(o.traps());
                FlowMix flows = o.flows() == null ? null : new FlowMix(o.flows(), o.exporters());
                if (informs != null) {
                    ((Sender.Udp) sender).enableResponses();
                }
                int perPacket = flows == null ? 1 : o.flowsPerPacket();
                long packet = 0;
                for (long i = 0; i < o.count(); i += perPacket, packet++) {
                    pacer.awaitTurn(i);
                    if ((packet & 1023) == 0 && System.nanoTime() > deadline) {
                        break;
                    }
                    int exporter = (int) (packet % o.exporters());
                    long sendNanos = clock.epochNanos();
                    if (flows != null) {
                        int records = (int) Math.min(perPacket, o.count() - i);
                        int len = flows.write(i, records, exporter, run, sendNanos / 1_000_000L);
                        sender.send(exporter, flows.buffer(), 0, len);
                        if (o.ratePerSecond() > 0) {
                            sender.flush(exporter);
                        }
                        sentCount.addAndGet(records);
                        continue;
                    } else if (traps != null) {
                        if (informs != null) {
                            informs.sent((int) i, System.nanoTime());
                            informs.poll((Sender.Udp) sender);
                        }
                        byte[] d = v3 != null ? v3[(int) i] : traps.fastDatagram(i, exporter, run, sendNanos);
                        sender.send(exporter, d, 0, d.length);
                    } else {
                        int len = mix.write(i, exporter, sendNanos, sendNanos / 1_000_000L);
                        sender.send(exporter, mix.buffer(), 0, len);
                    }
                    if (o.ratePerSecond() > 0) {
                        // Paced: each message leaves now, so latency is the pipeline's, not our
                        // buffer's. Flat out: buffered for throughput (latency then includes it).
                        sender.flush(exporter);
                    }
                    sentCount.incrementAndGet();
                }
                sender.flush();
                if (informs != null) {
                    informs.awaitAnswers((Sender.Udp) sender, sentCount.get(), o.drainIdle());
                }
            } finally {
                lastSend = System.nanoTime();
                sending.set(false);
            }
            long cpu = processCpuNanos() - cpuBefore;
            if (cpuBefore >= 0 && sentCount.get() > 0) {
                // What the harness itself took from the cores it shares with the pipeline.
                System.err.printf(java.util.Locale.ROOT, "harness CPU while sending: %.2f s, %.2f µs per message%n",
                        cpu / 1e9, cpu / 1e3 / sentCount.get());
            }
            reader.join();
            long deliveredAt = readback.received() == 0 ? lastSend : readback.lastArrivalNanoTime();
            if (acks != null) {
                // Deferred: the run's records were in Kafka when ingest's acknowledged count
                // reached them, not when this harness got round to reading them.
                deliveredAt = acks.stop().reachedAt(readback.received(), deliveredAt);
            }
            KernelUdpStats kernel = KernelUdpStats.read().minus(kernelBefore);
            PrometheusScrape after = o.ingestMetrics() == null ? PrometheusScrape.unavailable()
                    : PrometheusScrape.fetch(o.ingestMetrics(), filter);
            PrometheusScrape publishedAfter = o.ingestMetrics() == null ? PrometheusScrape.unavailable()
                    : PrometheusScrape.fetch(o.ingestMetrics(), "topic=\"" + o.topic() + "\"");
            boolean udp = o.transport() == Transport.UDP;
            // Kernel drops count datagrams; a dropped flow packet loses all its flows (every
            // packet of a run is full but possibly the last, so this is exact but for it).
            long perDatagram = o.flows() == null ? 1 : o.flowsPerPacket();
            LoadReport report = new LoadReport(scenario, run, o.transport(),
                    o.target().getAddress().getHostAddress() + ":" + o.target().getPort(), o.exporters(),
                    o.ratePerSecond(), sentCount.get(), (lastSend - firstSend) / 1e9,
                    udp && kernelBefore.available() ? kernel.rcvbufErrors() * perDatagram : -1,
                    udp && kernelBefore.available() ? kernel.inErrors() * perDatagram : -1,
                    // Only when ingest exports the meter: where the kernel does not list the
                    // port, the system-wide RcvbufErrors delta accounts for drops instead.
                    udp && before.has("nocturne_ingest_kernel_drops_total") && after.has("nocturne_ingest_kernel_drops_total")
                            ? PrometheusScrape.delta(before, after, "nocturne_ingest_kernel_drops_total") * perDatagram : -1,
                    PrometheusScrape.delta(before, after, "nocturne_ingest_packets_received_total"),
                    PrometheusScrape.delta(before, after, "nocturne_ingest_events_decoded_total"),
                    PrometheusScrape.delta(before, after, "nocturne_ingest_decode_failures_total"),
                    PrometheusScrape.delta(before, after, "nocturne_ingest_shed_total"),
                    PrometheusScrape.delta(publishedBefore, publishedAfter, "nocturne_ingest_events_published_total"),
                    PrometheusScrape.delta(publishedBefore, publishedAfter, "nocturne_ingest_publish_failures_total"),
                    readback.received(), readback.duplicates(),
                    (deliveredAt - firstSend) / 1e9,
                    readback.sendToIngest(), readback.ingestToReadback(), readback.sendToReadback());
            if (informs != null) {
                report = report.withInforms(informs.answered(), informs.roundTrip());
            }
            if (o.jsonOut() != null) {
                Files.writeString(o.jsonOut(), report.toJson());
            }
            return report;
        }
    }

    /** CPU time of this process so far (all threads), or -1 where the JVM does not say. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
