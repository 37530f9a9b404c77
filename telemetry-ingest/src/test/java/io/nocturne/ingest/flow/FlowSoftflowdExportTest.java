package io.nocturne.ingest.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.FlowRecord;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real exporter: softflowd reads a pcap of two known flows and exports them as NetFlow v5,
 * v9 or IPFIX to a local socket; the decoder must find both, exactly. (softflowd in -r mode
 * waits on its control socket: it is poked with softflowctl, see ../shared/TESTING-TOOLS.md.)
 */
class FlowSoftflowdExportTest {

    static final long T0 = 1_700_000_000L;

    /** UDP 10.0.0.1:1000 → 10.0.0.2:53, 5 × 100 bytes over 4 s; TCP 10.0.0.3:40000 → 10.0.0.4:443, 3 × 80 bytes over 1 s. */
    static byte[] trafficPcap() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
        for (int i = 0; i < 5; i++) {
            ByteBuffer l4 = ByteBuffer.allocate(80).putShort((short) 1000).putShort((short) 53).putShort((short) 80);
            frame(out, T0 + i, 0, new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, 17, l4.array());
        }
        for (int i = 0; i < 3; i++) {
            ByteBuffer l4 = ByteBuffer.allocate(60).putShort((short) 40000).putShort((short) 443).putInt(i).putInt(0)
                    .put((byte) 0x50).put((byte) 0x18).putShort((short) 1000);
            frame(out, T0 + i / 2, (i % 2) * 500_000, new byte[] {10, 0, 0, 3}, new byte[] {10, 0, 0, 4}, 6,
                    l4.array());
        }
        return out.toByteArray();
    }

    static void frame(ByteArrayOutputStream out, long secs, int micros, byte[] src, byte[] dst, int proto, byte[] l4) {
        ByteBuffer ip = ByteBuffer.allocate(20 + l4.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst).put(l4);
        byte[] eth = new byte[14 + ip.capacity()];
        Arrays.fill(eth, 0, 12, (byte) 2);
        eth[12] = 8;
        System.arraycopy(ip.array(), 0, eth, 14, ip.capacity());
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) secs).putInt(micros).putInt(eth.length).putInt(eth.length);
        out.writeBytes(rec.array());
        out.writeBytes(eth);
    }

    static boolean installed(String tool) {
        return Files.isExecutable(Path.of("/usr/sbin/" + tool)) || Files.isExecutable(Path.of("/usr/bin/" + tool));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "9", "10"})
    void decodesWhatSoftflowdExports(String version, @TempDir Path dir) throws Exception {
        assumeTrue(installed("softflowd") && installed("softflowctl"), "softflowd not installed");
        Path pcap = dir.resolve("traffic.pcap");
        Files.write(pcap, trafficPcap());
        Path ctl = dir.resolve("softflowd.ctl");
        List<FlowRecord> flows = new ArrayList<>();
        FlowPacketDecoder decoder = FlowPacketDecoder.standalone();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(200);
            Process softflowd = new ProcessBuilder("softflowd", "-d", "-r", pcap.toString(), "-v", version,
                    "-n", "127.0.0.1:" + socket.getLocalPort(), "-c", ctl.toString(), "-p",
                    dir.resolve("softflowd.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("softflowd.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int pokes = 0;
                byte[] buf = new byte[65535];
                while (flows.size() < 2 && System.nanoTime() < deadline) {
                    if (Files.exists(ctl)) {
                        // The first poke lets it read the pcap; expire-all exports what it tracks.
                        String command = pokes++ == 0 ? "statistics" : "expire-all";
                        new ProcessBuilder("softflowctl", "-c", ctl.toString(), command)
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                                .waitFor(5, TimeUnit.SECONDS);
                    }
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        DecodeResult<List<FlowRecord>> r = decoder.decode(Arrays.copyOf(p.getData(), p.getLength()),
                                "127.0.0.1", System.currentTimeMillis() * 1_000_000L);
                        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
                        flows.addAll(((DecodeResult.Decoded<List<FlowRecord>>) r).value());
                    } catch (SocketTimeoutException e) {
                        // poke again
                    }
                }
            } finally {
                softflowd.destroy();
                softflowd.waitFor(5, TimeUnit.SECONDS);
            }
        }
        assertThat(flows).hasSize(2);
        FlowRecord udp = flows.stream().filter(f -> f.getIpProtocol() == 17).findFirst().orElseThrow();
        FlowRecord tcp = flows.stream().filter(f -> f.getIpProtocol() == 6).findFirst().orElseThrow();
        assertThat(udp.getSrcAddress().toByteArray()).containsExactly(10, 0, 0, 1);
        assertThat(udp.getDstAddress().toByteArray()).containsExactly(10, 0, 0, 2);
        assertThat(udp.getSrcPort()).isEqualTo(1000);
        assertThat(udp.getDstPort()).isEqualTo(53);
        assertThat(udp.getPackets()).isEqualTo(5);
        assertThat(udp.getBytes()).isEqualTo(500);
        assertThat(udp.getFlowEndUnixNanos() - udp.getFlowStartUnixNanos()).isEqualTo(4_000_000_000L);
        assertThat(tcp.getSrcPort()).isEqualTo(40000);
        assertThat(tcp.getDstPort()).isEqualTo(443);
        assertThat(tcp.getPackets()).isEqualTo(3);
        assertThat(tcp.getBytes()).isEqualTo(240);
        assertThat(tcp.getTcpFlags()).isEqualTo(0x18);
        assertThat(tcp.getFlowEndUnixNanos() - tcp.getFlowStartUnixNanos()).isEqualTo(1_000_000_000L);
    }
}
