package io.nocturne.ingest.flow.sflow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * pmacct's {@code pmacctd} with the {@code sfprobe} plugin as a real sFlow v5 exporter: it
 * reads a pcap we write and sends what it samples to a UDP port. Also the traffic it samples
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
        Path conf = dir.resolve("sfprobe.conf");
        Files.writeString(conf, String.join("\n",
                "daemonize: false",
                "pcap_savefile: " + pcap,
                "pcap_savefile_wait: true",
                "plugins: sfprobe",
                "sfprobe_receiver: 127.0.0.1:" + port,
                "sfprobe_agentip: " + AGENT,
                "sampling_rate: 1",
                ""));
        return new ProcessBuilder(pmacctd.toString(), "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("pmacctd.log").toFile()).start();
    }
}
