package io.nocturne.ingest.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.testkit.SharedCaptures;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * softflowd 1.1.0's NetFlow v5, v9 and IPFIX exports (../shared/captures/generated), decoded
 * packet by packet, and compared field by field with tshark's dissection of the same packets.
 */
class FlowSoftflowdCapturesTest {

    record Decoded(Map<Integer, List<FlowRecord>> byFrame, int records, int failures) {
    }

    static Decoded decode(Path pcap) throws IOException {
        FlowPacketDecoder decoder = FlowPacketDecoder.standalone();
        Map<Integer, List<FlowRecord>> byFrame = new HashMap<>();
        int records = 0;
        int failures = 0;
        for (PcapUdp.Datagram d : PcapUdp.read(pcap)) {
            DecodeResult<List<FlowRecord>> r = decoder.decode(d.payload(), d.source(), 1_800_000_000_000_000_000L);
            if (r instanceof DecodeResult.Decoded<List<FlowRecord>> ok) {
                byFrame.put(d.frame(), ok.value());
                records += ok.value().size();
            } else {
                failures++;
            }
        }
        return new Decoded(byFrame, records, failures);
    }

    @ParameterizedTest
    @ValueSource(strings = {"softflowd_v5.pcap", "softflowd_v9.pcap", "softflowd_v10.pcap"})
    void everySoftflowdPacketDecodes(String file) throws IOException {
        Decoded d = decode(SharedCaptures.require("generated/" + file));
        assertThat(d.failures()).isZero();
        assertThat(d.records()).isGreaterThan(1000);
        FlowRecord first = d.byFrame().values().stream().filter(l -> !l.isEmpty()).findFirst().orElseThrow().get(0);
        assertThat(first.getFlowStartUnixNanos()).as("flow start resolved to wall-clock time").isGreaterThan(
                1_600_000_000_000_000_000L);
        if (!file.contains("v5")) {
            // softflowd sends its sampling options (interval 1 / packet interval 1, space 0).
            assertThat(first.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_OPTIONS);
            assertThat(first.getSamplingRate()).isEqualTo(1);
        }
    }

    static final String[] FIELDS = {"frame.number", "cflow.srcaddr", "cflow.srcaddrv6", "cflow.dstaddr",
        "cflow.dstaddrv6", "cflow.srcport", "cflow.dstport", "cflow.protocol", "cflow.octets", "cflow.packets",
        "cflow.timestart", "cflow.timeend"};

    /**
     * Every flow tshark shows (src, dst, ports, protocol, octets, packets, duration) is a flow we
     * decoded from the same frame, and the other way round. No disagreement was found; a
     * disagreement would be a bug on one side, to be named here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"softflowd_v5.pcap", "softflowd_v9.pcap", "softflowd_v10.pcap"})
    void agreesWithTsharkFieldByField(String file) throws Exception {
        Path pcap = SharedCaptures.require("generated/" + file);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        for (int port : List.of(2055, 2056, 2057, 2058, 2059, 2060, 4739)) {
            cmd.addAll(List.of("-d", "udp.port==" + port + ",cflow"));
        }
        cmd.addAll(List.of("-T", "fields", "-E", "occurrence=a", "-E", "separator=\t"));
        for (String f : FIELDS) {
            cmd.addAll(List.of("-e", f));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Decoded mine = decode(pcap);
        int compared = 0;
        for (String line : out.split("\n")) {
            String[] c = line.split("\t", -1);
            if (c.length < FIELDS.length || c[0].isEmpty()) {
                continue;
            }
            int frame = Integer.parseInt(c[0]);
            List<String> src = split(c[1].isEmpty() ? c[2] : c[1]);
            List<String> dst = split(c[3].isEmpty() ? c[4] : c[3]);
            List<String> sport = split(c[5]), dport = split(c[6]), proto = split(c[7]), octets = split(c[8]),
                    packets = split(c[9]), start = split(c[10]), end = split(c[11]);
            int n = src.size();
            if (n == 0 || !(c[1].isEmpty() || c[2].isEmpty())) {
                continue; // options-only frame, or v4 and v6 flows mixed (columns cannot be zipped)
            }
            assertThat(List.of(dst.size(), proto.size(), octets.size(), packets.size()))
                    .as("frame %d columns", frame).containsOnly(n);
            // tshark shows ICMP flows' ports (softflowd puts type/code in the destination port)
            // as ICMP fields, so the port columns are shorter: ports are compared only when whole.
            boolean ports = sport.size() == n && dport.size() == n;
            TreeSet<String> theirs = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                long durationMillis = start.size() == n ? Math.round((Double.parseDouble(end.get(i))
                        - Double.parseDouble(start.get(i))) * 1000) : -1;
                theirs.add(String.join(" ", InetAddress.getByName(src.get(i)).getHostAddress(),
                        InetAddress.getByName(dst.get(i)).getHostAddress(), ports ? sport.get(i) : "-",
                        ports ? dport.get(i) : "-", proto.get(i),
                        octets.get(i), packets.get(i), Long.toString(durationMillis)) + " #" + i);
            }
            TreeSet<String> ours = new TreeSet<>();
            List<FlowRecord> records = mine.byFrame().getOrDefault(frame, List.of());
            for (int i = 0; i < records.size(); i++) {
                FlowRecord r = records.get(i);
                long durationMillis = start.size() == n
                        ? (r.getFlowEndUnixNanos() - r.getFlowStartUnixNanos()) / 1_000_000 : -1;
                ours.add(String.join(" ", InetAddress.getByAddress(r.getSrcAddress().toByteArray()).getHostAddress(),
                        InetAddress.getByAddress(r.getDstAddress().toByteArray()).getHostAddress(),
                        ports ? Integer.toString(r.getSrcPort()) : "-", ports ? Integer.toString(r.getDstPort()) : "-",
                        Integer.toString(r.getIpProtocol()), Long.toString(r.getBytes()),
                        Long.toString(r.getPackets()), Long.toString(durationMillis)) + " #" + i);
            }
            assertThat(ours).as("frame %d of %s", frame, file).isEqualTo(theirs);
            compared += n;
        }
        assertThat(compared).as("flows compared").isGreaterThan(1000);
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(","));
    }
}
