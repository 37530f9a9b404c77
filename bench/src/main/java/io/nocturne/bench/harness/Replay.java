package io.nocturne.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays the UDP payloads of a capture to a local listener: each original exporter (source
 * address and port) gets its own loopback source address 127.0.x.y and one socket, so ingest
 * keeps per-exporter state (flow templates, trap engines) apart as it would for the real
 * devices. {@code tcpreplay} cannot do this: frames injected on {@code lo} never reach local
 * sockets.
 */
public final class Replay {

    static final String USAGE = """
            replay: nocturne bench replay FILE [options]
              FILE                    a pcap or pcapng capture (Ethernet, loopback, Linux cooked, raw IP)
              --target H:P            send every payload here (loopback only); default 127.0.0.1:<original destination port>
              --only-port N           replay only datagrams sent to port N (e.g. 2055)
              --pace original|max     keep the capture's timing (default) or send flat out
              --speed X               with original pacing, play X times faster (default 1)
              --repeat N              play the capture N times (default 1)
            """;

    /** Replay options. */
    public record Options(Path file, InetSocketAddress target, int onlyPort, boolean originalPace, double speed,
                          int repeat) {

        public Options {
            if (target != null && !target.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("--target must be a loopback address");
            }
            if (speed <= 0 || repeat < 1) {
                throw new IllegalArgumentException("--speed must be > 0 and --repeat >= 1");
            }
        }

        static Options parse(List<String> args) {
            if (args.isEmpty() || args.get(0).startsWith("--")) {
                throw new IllegalArgumentException("replay needs a capture FILE");
            }
            Map<String, String> v = Harness.options(args.subList(1, args.size()),
                    List.of("target", "only-port", "pace", "speed", "repeat"));
            String pace = v.getOrDefault("pace", "original");
            if (!pace.equals("original") && !pace.equals("max")) {
                throw new IllegalArgumentException("--pace must be original or max");
            }
            try {
                return new Options(Path.of(args.get(0)),
                        v.containsKey("target") ? Harness.hostPort(v.get("target")) : null,
                        v.containsKey("only-port") ? (int) Harness.positive(v.get("only-port"), "only-port") : 0,
                        pace.equals("original"), Double.parseDouble(v.getOrDefault("speed", "1")),
                        (int) Harness.positive(v.getOrDefault("repeat", "1"), "repeat"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--speed: not a number");
            }
        }
    }

    /** What was sent. */
    public record Result(Path file, int frames, int datagrams, long sent, Map<String, Integer> skipped,
                         Map<String, String> exporters, double seconds) {

        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "replay %s: %d frames, %d UDP datagrams, %d sent in %.2f s (%.0f/s)%n",
                    file, frames, datagrams, sent, seconds, seconds > 0 ? sent / seconds : 0));
            skipped.forEach((why, n) -> sb.append(String.format(Locale.ROOT, "  skipped %-36s %d%n", why, n)));
            exporters.forEach((orig, local) -> sb.append("  exporter ").append(orig).append(" → ").append(local).append('\n'));
            return sb.toString();
        }
    }

    private Replay() {
    }

    public static Result run(Options o) throws IOException {
        PcapReader.Capture capture = PcapReader.read(o.file());
        List<PcapReader.Datagram> datagrams = capture.datagrams().stream()
                .filter(d -> o.onlyPort() == 0 || d.destinationPort() == o.onlyPort())
                .toList();
        Map<String, DatagramChannel> sockets = new LinkedHashMap<>();
        Map<String, String> mapping = new LinkedHashMap<>();
        long sent = 0;
        long start = System.nanoTime();
        try {
            for (int round = 0; round < o.repeat(); round++) {
                long roundStart = System.nanoTime();
                long firstTs = datagrams.isEmpty() ? 0 : datagrams.get(0).timestampNanos();
                for (PcapReader.Datagram d : datagrams) {
                    if (o.originalPace()) {
                        long due = roundStart + (long) ((d.timestampNanos() - firstTs) / o.speed());
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(Math.min(wait, 100_000_000L));
                        }
                    }
                    String exporter = d.source().getHostAddress() + ":" + d.sourcePort();
                    DatagramChannel ch = sockets.get(exporter);
                    if (ch == null) {
                        InetAddress local = Sender.exporterAddress(sockets.size());
                        ch = DatagramChannel.open(StandardProtocolFamily.INET);
                        ch.bind(new InetSocketAddress(local, 0));
                        sockets.put(exporter, ch);
                        mapping.put(exporter, local.getHostAddress() + ":" + ((InetSocketAddress) ch.getLocalAddress()).getPort());
                    }
                    InetSocketAddress target = o.target() != null ? o.target()
                            : new InetSocketAddress(InetAddress.getLoopbackAddress(), d.destinationPort());
                    ch.send(ByteBuffer.wrap(d.payload()), target);
                    sent++;
                }
            }
        } finally {
            for (DatagramChannel c : sockets.values()) {
                c.close();
            }
        }
        return new Result(o.file(), capture.frames(), datagrams.size(), sent, capture.skipped(), mapping,
                (System.nanoTime() - start) / 1e9);
    }
}
