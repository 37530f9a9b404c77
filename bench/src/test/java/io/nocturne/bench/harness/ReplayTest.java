package io.nocturne.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.testkit.SharedCaptures;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    // ---- hand-made frames --------------------------------------------------------------

    private static byte[] ethernet(int etherType, byte[] payload, boolean vlan) {
        ByteBuffer b = ByteBuffer.allocate(14 + (vlan ? 4 : 0) + payload.length);
        b.put(new byte[12]);
        if (vlan) {
            b.putShort((short) 0x8100).putShort((short) 42);
        }
        b.putShort((short) etherType).put(payload);
        return b.array();
    }

    private static byte[] ipv4(int protocol, byte[] src, int flagsFrag, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1)
                .putShort((short) flagsFrag).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(src).put(new byte[] {127, 0, 0, 1}).put(l4);
        return b.array();
    }

    private static byte[] ipv6Udp(byte[] src, byte[] udp) {
        ByteBuffer b = ByteBuffer.allocate(40 + udp.length);
        b.putInt(0x60000000).putShort((short) udp.length).put((byte) 17).put((byte) 64).put(src)
                .put(new byte[15]).put((byte) 1).put(udp);
        return b.array();
    }

    private static byte[] udp(int sport, int dport, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(8 + p.length).putShort((short) sport).putShort((short) dport)
                .putShort((short) (8 + p.length)).putShort((short) 0).put(p).array();
    }

    private static List<byte[]> frames() throws Exception {
        byte[] v6src = InetAddress.getByName("2001:db8::1").getAddress();
        return List.of(
                ethernet(0x0800, ipv4(17, new byte[] {(byte) 192, 0, 2, 1}, 0x4000, udp(5000, 2055, "abc")), false),
                ethernet(0x0800, ipv4(17, new byte[] {(byte) 192, 0, 2, 2}, 0, udp(5001, 2055, "defg")), true),
                ethernet(0x0800, ipv4(6, new byte[] {(byte) 192, 0, 2, 3}, 0, new byte[20]), false),
                ethernet(0x0800, ipv4(17, new byte[] {(byte) 192, 0, 2, 4}, 0x2000, udp(5002, 2055, "frag")), false),
                ethernet(0x86dd, ipv6Udp(v6src, udp(5003, 2055, "v6")), false),
                ethernet(0x0800, ipv4(17, new byte[] {(byte) 192, 0, 2, 1}, 0, udp(5000, 2055, "again")), false));
    }

    @Test
    void skipsAnIpv4HeaderWithAnImpossibleLength() throws Exception {
        byte[] bad = ipv4(17, new byte[] {(byte) 192, 0, 2, 9}, 0, udp(1, 2055, "x"));
        bad[0] = 0x41; // IHL 1 word: shorter than the 20-byte minimum
        PcapReader.Capture c = PcapReader.read(pcap(List.of(ethernet(0x0800, bad, false))));
        assertThat(c.datagrams()).isEmpty();
        assertThat(c.skipped()).isEqualTo(Map.of("malformed IPv4 header", 1));
    }

    static byte[] pcap(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        int i = 0;
        for (byte[] f : frames) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(1_700_000_000).putInt(1000 * i++).putInt(f.length).putInt(f.length);
            out.writeBytes(r.array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    static byte[] pcapng(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer shb = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        shb.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        out.writeBytes(shb.array());
        // IDB with if_tsresol = 9 (nanoseconds)
        ByteBuffer idb = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        idb.putInt(1).putInt(32).putShort((short) 1).putShort((short) 0).putInt(65535)
                .putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3])
                .putShort((short) 0).putShort((short) 0).putInt(32);
        out.writeBytes(idb.array());
        long ts = 1_700_000_000_000_000_000L;
        for (byte[] f : frames) {
            int padded = (f.length + 3) & ~3;
            int len = 32 + padded;
            ByteBuffer epb = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            epb.putInt(6).putInt(len).putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(f.length)
                    .putInt(f.length).put(f).put(new byte[padded - f.length]).putInt(len);
            out.writeBytes(epb.array());
            ts += 1_000_000;
        }
        return out.toByteArray();
    }

    @Test
    void extractsUdpPayloadsFromPcapAndPcapngAndCountsWhatItSkips() throws Exception {
        for (byte[] file : List.of(pcap(frames()), pcapng(frames()))) {
            PcapReader.Capture c = PcapReader.read(file);
            assertThat(c.frames()).isEqualTo(6);
            assertThat(c.datagrams()).extracting(d -> new String(d.payload(), StandardCharsets.US_ASCII))
                    .containsExactly("abc", "defg", "v6", "again");
            assertThat(c.datagrams()).extracting(d -> d.source().getHostAddress() + ":" + d.sourcePort())
                    .containsExactly("192.0.2.1:5000", "192.0.2.2:5001", "2001:db8:0:0:0:0:0:1:5003", "192.0.2.1:5000");
            assertThat(c.datagrams()).allSatisfy(d -> assertThat(d.destinationPort()).isEqualTo(2055));
            assertThat(c.skipped()).isEqualTo(Map.of("not UDP", 1, "IP fragment", 1));
            assertThat(c.datagrams().get(1).timestampNanos() - c.datagrams().get(0).timestampNanos()).isEqualTo(1_000_000);
        }
    }

    @Test
    void replaysEachOriginalExporterFromItsOwnLoopbackAddress(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.pcap");
        Files.write(file, pcap(frames()));
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            sink.setSoTimeout(5_000);
            Replay.Result r = Replay.run(new Replay.Options(file,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort()), 2055, true, 10, 1));
            assertThat(r.sent()).isEqualTo(4);
            Map<String, String> bySource = new TreeMap<>();
            for (int i = 0; i < 4; i++) {
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                sink.receive(p);
                bySource.merge(p.getAddress().getHostAddress(), new String(p.getData(), 0, p.getLength(),
                        StandardCharsets.US_ASCII), (a, b) -> a + "," + b);
            }
            assertThat(bySource).isEqualTo(Map.of("127.0.1.1", "abc,again", "127.0.1.2", "defg", "127.0.1.3", "v6"));
            assertThat(r.exporters()).containsKeys("192.0.2.1:5000", "192.0.2.2:5001");
        }
    }

    @Test
    void replaysARealExportersCaptureWhole() throws Exception {
        Path capture = SharedCaptures.require("generated/softflowd_v5.pcap");
        PcapReader.Capture c = PcapReader.read(capture);
        assertThat(c.datagrams()).isNotEmpty();
        List<byte[]> received = new ArrayList<>();
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            sink.setSoTimeout(5_000);
            sink.setReceiveBufferSize(4 << 20);
            Replay.Result r = Replay.run(new Replay.Options(capture,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.getLocalPort()), 0, false, 1, 1));
            assertThat(r.sent()).isEqualTo(c.datagrams().size());
            for (int i = 0; i < r.sent(); i++) {
                DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
                sink.receive(p);
                received.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            }
        }
        for (int i = 0; i < received.size(); i++) {
            assertThat(received.get(i)).isEqualTo(c.datagrams().get(i).payload());
            // NetFlow v5 header: version 5.
            assertThat(received.get(i)[0] << 8 | received.get(i)[1]).isEqualTo(5);
        }
    }
}
