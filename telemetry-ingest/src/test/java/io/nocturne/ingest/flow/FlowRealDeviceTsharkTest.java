package io.nocturne.ingest.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.FlowRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-device captures, fed in the same order to our decoder and (as a pcap, one source
 * address per device) to tshark: wherever tshark's per-flow columns can be zipped, every flow's
 * addresses, ports and protocol must agree, in order.
 */
class FlowRealDeviceTsharkTest {

    @Test
    void addressesPortsAndProtocolsAgreeWithTshark(@TempDir Path dir) throws Exception {
        Map<String, DecodeResult<List<FlowRecord>>> ours = FlowRealDeviceCapturesTest.decodeAll(
                FlowPacketDecoder.standalone());
        List<String> order = new ArrayList<>(ours.keySet());
        Path pcap = dir.resolve("real.pcap");
        Files.write(pcap, pcap(order));
        Process p;
        try {
            p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==2055,cflow",
                    "-T", "fields", "-E", "occurrence=a", "-E", "separator=\t", "-e", "frame.number",
                    "-e", "cflow.srcaddr", "-e", "cflow.srcaddrv6", "-e", "cflow.dstaddr", "-e", "cflow.dstaddrv6",
                    "-e", "cflow.srcport", "-e", "cflow.dstport", "-e", "cflow.protocol")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        int compared = 0;
        int ports = 0;
        List<String> agreed = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] c = line.split("\t", -1);
            if (c.length < 8 || c[0].isEmpty()) {
                continue;
            }
            String file = order.get(Integer.parseInt(c[0]) - 1);
            if (!(ours.get(file) instanceof DecodeResult.Decoded<List<FlowRecord>> d) || d.value().isEmpty()) {
                continue;
            }
            List<String> src = split(c[1].isEmpty() ? c[2] : c[1]);
            List<String> dst = split(c[3].isEmpty() ? c[4] : c[3]);
            List<String> proto = split(c[7]);
            List<String> sport = split(c[5]);
            List<String> dport = split(c[6]);
            List<FlowRecord> records = d.value();
            // Zippable only when every flow has each column once (no mixed v4/v6, no doubled IEs).
            if (!(c[1].isEmpty() || c[2].isEmpty()) || src.size() != records.size() || dst.size() != records.size()
                    || proto.size() != records.size()) {
                continue;
            }
            for (int i = 0; i < records.size(); i++) {
                FlowRecord r = records.get(i);
                assertThat(InetAddress.getByAddress(r.getSrcAddress().toByteArray()))
                        .as("%s flow %d source", file, i).isEqualTo(InetAddress.getByName(src.get(i)));
                assertThat(InetAddress.getByAddress(r.getDstAddress().toByteArray()))
                        .as("%s flow %d destination", file, i).isEqualTo(InetAddress.getByName(dst.get(i)));
                assertThat(Integer.toString(r.getIpProtocol())).as("%s flow %d protocol", file, i)
                        .isEqualTo(proto.get(i));
                if (sport.size() == records.size() && dport.size() == records.size()) {
                    assertThat(r.getSrcPort() + ">" + r.getDstPort()).as("%s flow %d ports", file, i)
                            .isEqualTo(sport.get(i) + ">" + dport.get(i));
                    ports++;
                }
                compared++;
            }
            agreed.add(file);
        }
        System.out.println("tshark agreement: " + compared + " flows (" + ports + " with ports) in " + agreed.size() + " captures");
        assertThat(agreed).as("captures compared").hasSizeGreaterThan(20);
        assertThat(compared).isGreaterThan(300);
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    /** One UDP datagram per capture, in feeding order, from one source address per device. */
    private static byte[] pcap(List<String> files) throws IOException {
        Map<String, Integer> devices = new java.util.LinkedHashMap<>();
        Path dir = FlowRealDeviceCapturesTest.dir();
        List<byte[]> payloads = new ArrayList<>();
        int[] sources = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            payloads.add(Files.readAllBytes(dir.resolve(files.get(i))));
            sources[i] = devices.computeIfAbsent(FlowRealDeviceCapturesTest.device(files.get(i)), k -> devices.size() + 1);
        }
        return PcapUdp.write(payloads, sources, 2055);
    }
}
