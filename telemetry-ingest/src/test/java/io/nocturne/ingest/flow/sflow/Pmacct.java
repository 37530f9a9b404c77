package io.nocturne.ingest.flow.sflow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * pmacct's {@code pmacctd} as a real exporter: with the {@code sfprobe} plugin of sFlow v5,
 * with {@code nfprobe} of NetFlow v9 and IPFIX; it reads a pcap we write and sends what it
 * samples or meters to a UDP port. Also the traffic it samples
 * and the tools' lookup, so tests skip cleanly where pmacct or tshark is not installed.
 */
final class Pmacct {

    static final String AGENT = "192.0.2.10";
    /** Times each frame of {@link #traffic()} is repeated in the pcap. */
    static final int REPEAT = 10;

    /** UDP to the discard port, last in the pcap; tests filter it out. */
    static final byte[] SENTINEL = Packets.ethernet(0x0800, Packets.ipv4(0, 64, 17, "10.9.9.9", "10.9.9.9", 0,
            Packets.udp(9, 9, 0)));

    private Pmacct() {
    }

    static Optional<Path> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin"));
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The frames: IPv4 TCP SYN with DSCP EF, IPv4 UDP (DNS), an 802.1Q-tagged ICMP echo, IPv6
     * TCP and IPv6 UDP behind a hop-by-hop header.
     */
    static List<byte[]> traffic() {
        return List.of(
                Packets.ethernet(0x0800, Packets.ipv4(0xB8, 64, 6, "10.1.1.1", "10.2.2.2", 0x4000,
                        SflowEncoder.concat(Packets.tcp(1234, 80, 0x02), new byte[100]))),
                Packets.ethernet(0x0800, Packets.ipv4(0x20, 60, 17, "10.1.1.3", "10.2.2.4", 0,
                        Packets.udp(5000, 53, 30))),
                Packets.ethernet(0x0800, Packets.ipv4(0, 255, 1, "10.1.1.5", "10.2.2.6", 0,
                        SflowEncoder.concat(Packets.icmp(8, 0), new byte[56])), 0x8100, 42),
                Packets.ethernet(0x86DD, Packets.ipv6(0, 0x12345, 6, 64, "2001:db8::1", "2001:db8::2",
                        Packets.tcp(40000, 443, 0x18))),
                Packets.ethernet(0x86DD, Packets.ipv6(0, 0, 0, 1, "2001:db8::3", "2001:db8::4",
                        Packets.extension(17, 0, Packets.udp(546, 547, 20)))));
    }

    static Path writeTrafficPcap(Path dir) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < REPEAT; i++) {
            frames.addAll(traffic());
        }
        // pmacctd 1.7.7 hands packets from its core to the plugin in buffers and, waiting after
        // the savefile, may never pass on the last partial one: sentinels fill that buffer.
        // On SIGINT (nfprobe's flush) the core does pass it on, but whole: the records past the
        // last real one repeat earlier records (without sentinels nfprobe counts each traffic
        // flow's 10 packets as 16); the sentinels take those repeats (their flow counts 94).
        for (int i = 0; i < 64; i++) {
            frames.add(SENTINEL);
        }
        Path pcap = dir.resolve("traffic.pcap");
        writePcap(pcap, frames);
        return pcap;
    }

    /** libpcap format, Ethernet link type, microsecond timestamps. */
    static void writePcap(Path file, List<byte[]> frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(h.array());
            int i = 0;
            for (byte[] f : frames) {
                ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                r.putInt(1_780_000_000 + i / 100).putInt(i % 100 * 10_000).putInt(f.length).putInt(f.length);
                out.write(r.array());
                out.write(f);
                i++;
            }
        }
    }

    /**
     * Starts pmacctd exporting {@code pcap} as sFlow to 127.0.0.1:{@code port}. It keeps
     * running after the file ({@code pcap_savefile_wait}) so the plugin flushes: destroy it.
     */
    static Process start(Path pmacctd, Path dir, Path pcap, int port) throws IOException {
        return run(pmacctd, dir, pcap, "sfprobe",
                "sfprobe_receiver: 127.0.0.1:" + port,
                "sfprobe_agentip: " + AGENT,
                "sampling_rate: 1");
    }

    /**
     * Starts pmacctd metering {@code pcap} with the {@code nfprobe} plugin, exporting NetFlow
     * v9 ({@code version} 9) or IPFIX (10) to 127.0.0.1:{@code port}. nfprobe exports nothing
     * of a savefile by itself (see {@link #flushNfprobe}): stop it with that.
     */
    static Process startNfprobe(Path pmacctd, Path dir, Path pcap, int port, int version) throws IOException {
        return run(pmacctd, dir, pcap, "nfprobe",
                "nfprobe_receiver: 127.0.0.1:" + port,
                "nfprobe_version: " + version);
    }

    /**
     * Makes nfprobe export every flow it holds, and waits for pmacctd to exit.
     *
     * <p>nfprobe (softflowd-derived) never expires flows by time when it reads a savefile: its
     * expiry scan then runs in "forced only" mode, which exports just the flows marked to go
     * at once: those over {@code maxlife} (packet time from first to last packet), over 2^63
     * bytes, or pushed out because the table holds more than {@code nfprobe_maxflows}. A flow
     * of a few packets close together is none of these and waits for the shutdown flush: on
     * SIGINT pmacctd's core passes on its partly filled buffer, sleeps 2 s and sends the
     * plugin SIGINT; the plugin then wakes within 3 s and expires ALL flows (reason "flush").
     * The flush is only worth anything once the core has read the whole file, hence the wait
     * for its log line. The sentinels at the end of the pcap matter here too: see
     * {@link #writeTrafficPcap}.
     */
    static void flushNfprobe(Process pmacctd, Path dir, Duration timeout) throws Exception {
        Path log = dir.resolve("pmacctd.log");
        long deadline = System.nanoTime() + timeout.toNanos();
        org.awaitility.Awaitility.await("pmacctd reads the whole pcap").atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .failFast("pmacctd exited before reading the pcap", () -> !pmacctd.isAlive())
                .until(() -> Files.exists(log) && Files.readString(log).contains("finished reading PCAP capture file"));
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pmacctd.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT " + pmacctd.pid() + " failed");
        }
        if (!pmacctd.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("pmacctd did not exit on SIGINT: " + Files.readString(log));
        }
    }

    /**
     * pmacctd reading {@code pcap} into one plugin configured by {@code pluginLines}. It keeps
     * running after the file ({@code pcap_savefile_wait}); its log is {@code dir/pmacctd.log}.
     */
    private static Process run(Path pmacctd, Path dir, Path pcap, String plugin, String... pluginLines)
            throws IOException {
        Path conf = dir.resolve(plugin + ".conf");
        List<String> lines = new ArrayList<>(List.of(
                "daemonize: false",
                "pcap_savefile: " + pcap,
                "pcap_savefile_wait: true",
                "plugins: " + plugin));
        lines.addAll(List.of(pluginLines));
        lines.add("");
        Files.writeString(conf, String.join("\n", lines));
        return new ProcessBuilder(pmacctd.toString(), "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("pmacctd.log").toFile()).start();
    }
}
