package io.nocturne.ingest.flow.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.FlowRecord;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test: pmacctd exports a pcap as sFlow, we decode each datagram and so does
 * tshark (Wireshark's sFlow and packet dissectors, an independent implementation); every field
 * both produce must agree, datagram by datagram and sample by sample.
 *
 * <p>Known, deliberate differences (neither side is wrong):
 * <ul>
 *   <li>An input/output interface of 0x3FFFFFFF is "unknown / internal" in sFlow v5; tshark
 *       shows the raw value, we leave the FlowRecord field unset (0). Compared after mapping.</li>
 *   <li>For MPLS frames tshark's ether type is 0x8847; ours names the IP payload (not in this
 *       traffic, so not compared here).</li>
 * </ul>
 */
class SflowTsharkDifferentialTest {

    private static final String[] FIELDS = {
        "sflow_245.agent", "sflow_245.sub_agent_id", "sflow_245.sequence_number",
        "sflow.flow_sample.sampling_rate", "sflow.flow_sample.sample_pool", "sflow.flow_sample.dropped_packets",
        "sflow.flow_sample.input_interface", "sflow.flow_sample.output_interface_value",
        "sflow_245.header.frame_length", "eth.src", "eth.dst", "vlan.id",
        "ip.src", "ip.dst", "ip.proto", "ip.dsfield", "ip.ttl",
        "ipv6.src", "ipv6.dst", "ipv6.flow", "ipv6.hlim",
        "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport", "udp.dstport", "icmp.type", "icmp.code",
    };

    @Test
    void decodesPmacctDatagramsFieldByFieldAsTsharkDoes(@TempDir Path dir) throws Exception {
        Optional<Path> pmacctd = Pmacct.tool("pmacctd");
        Optional<Path> tshark = Pmacct.tool("tshark");
        Assumptions.assumeTrue(pmacctd.isPresent(), "pmacctd (Debian package pmacct) is not installed");
        Assumptions.assumeTrue(tshark.isPresent(), "tshark is not installed");

        List<byte[]> datagrams = collect(pmacctd.get(), dir);
        Path pcap = dir.resolve("sflow.pcap");
        Pmacct.writePcap(pcap, datagrams.stream().map(SflowTsharkDifferentialTest::wrapInUdp).toList());
        List<String[]> rows = tshark(tshark.get(), pcap);
        assertThat(rows).hasSize(datagrams.size());

        SflowDecoder decoder = new SflowDecoder();
        int flowsCompared = 0;
        for (int i = 0; i < datagrams.size(); i++) {
            DecodeResult<SflowDatagram> r = decoder.decode(datagrams.get(i), 0);
            assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
            SflowDatagram d = ((DecodeResult.Decoded<SflowDatagram>) r).value();
            List<FlowRecord> flows = d.flows();
            Row t = new Row(rows.get(i), "datagram " + i);
            t.same("sflow_245.agent", List.of(address(d.agentAddress())), Row::address);
            t.same("sflow_245.sub_agent_id", List.of(Long.toString(d.subAgentId())), v -> v);
            t.same("sflow_245.sequence_number", List.of(Long.toString(d.sequenceNumber())), v -> v);
            t.same("sflow.flow_sample.sampling_rate", map(flows, f -> f.getSamplingRate()), v -> v);
            t.same("sflow.flow_sample.sample_pool", map(flows, FlowRecord::getSamplePool), v -> v);
            t.same("sflow.flow_sample.dropped_packets", map(flows, FlowRecord::getSampleDrops), v -> v);
            t.same("sflow.flow_sample.input_interface", map(flows, FlowRecord::getInInterface), Row::ifIndex);
            t.same("sflow.flow_sample.output_interface_value", map(flows, FlowRecord::getOutInterface), Row::ifIndex);
            t.same("sflow_245.header.frame_length", map(flows, FlowRecord::getBytes), v -> v);
            // The first eth/ip/udp occurrence is the capture's own wrapping of the datagram.
            t.sameSkippingOuter("eth.src", map(flows, f -> mac(f.getSrcMac())), v -> v);
            t.sameSkippingOuter("eth.dst", map(flows, f -> mac(f.getDstMac())), v -> v);
            t.same("vlan.id", map(only(flows, f -> f.getSrcVlan() != 0), FlowRecord::getSrcVlan), v -> v);
            List<FlowRecord> v4 = only(flows, f -> f.getEtherType() == 0x0800);
            List<FlowRecord> v6 = only(flows, f -> f.getEtherType() == 0x86DD);
            t.sameSkippingOuter("ip.src", map(v4, f -> address(f.getSrcAddress())), Row::address);
            t.sameSkippingOuter("ip.dst", map(v4, f -> address(f.getDstAddress())), Row::address);
            t.sameSkippingOuter("ip.proto", map(v4, FlowRecord::getIpProtocol), v -> v);
            t.sameSkippingOuter("ip.dsfield", map(v4, FlowRecord::getIpTos), Row::number);
            t.sameSkippingOuter("ip.ttl", map(v4, FlowRecord::getIpTtl), v -> v);
            t.same("ipv6.src", map(v6, f -> address(f.getSrcAddress())), Row::address);
            t.same("ipv6.dst", map(v6, f -> address(f.getDstAddress())), Row::address);
            t.same("ipv6.flow", map(v6, FlowRecord::getFlowLabelIpv6), Row::number);
            t.same("ipv6.hlim", map(v6, FlowRecord::getIpTtl), v -> v);
            List<FlowRecord> tcp = only(flows, f -> f.getIpProtocol() == 6);
            List<FlowRecord> udp = only(flows, f -> f.getIpProtocol() == 17);
            List<FlowRecord> icmp = only(flows, f -> f.getIpProtocol() == 1 || f.getIpProtocol() == 58);
            t.same("tcp.srcport", map(tcp, FlowRecord::getSrcPort), v -> v);
            t.same("tcp.dstport", map(tcp, FlowRecord::getDstPort), v -> v);
            t.same("tcp.flags", map(tcp, FlowRecord::getTcpFlags), Row::number);
            t.sameSkippingOuter("udp.srcport", map(udp, FlowRecord::getSrcPort), v -> v);
            t.sameSkippingOuter("udp.dstport", map(udp, FlowRecord::getDstPort), v -> v);
            t.same("icmp.type", map(icmp, FlowRecord::getIcmpType), v -> v);
            t.same("icmp.code", map(icmp, FlowRecord::getIcmpCode), v -> v);
            flowsCompared += flows.size();
        }
        assertThat(flowsCompared).isGreaterThanOrEqualTo(Pmacct.traffic().size() * Pmacct.REPEAT);
    }

    private static List<byte[]> collect(Path pmacctd, Path dir) throws Exception {
        List<byte[]> out = new ArrayList<>();
        int expected = Pmacct.traffic().size() * Pmacct.REPEAT;
        SflowDecoder decoder = new SflowDecoder();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(500);
            Process pmacct = Pmacct.start(pmacctd, dir, Pmacct.writeTrafficPcap(dir), socket.getLocalPort());
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int flows = 0;
                byte[] buf = new byte[65535];
                while (flows < expected && System.nanoTime() < deadline) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException quiet) {
                        continue;
                    }
                    byte[] d = Arrays.copyOf(p.getData(), p.getLength());
                    out.add(d);
                    if (decoder.decode(d, 0) instanceof DecodeResult.Decoded<SflowDatagram> ok) {
                        flows += (int) ok.value().flows().stream().filter(f -> f.getDstPort() != 9).count();
                    }
                }
            } finally {
                pmacct.destroy();
            }
        }
        return out;
    }

    /** Ethernet (zero MACs) + IPv4 127.0.0.1 + UDP to 6343, the port tshark dissects as sFlow. */
    private static byte[] wrapInUdp(byte[] payload) {
        byte[] udp = ByteBuffer.allocate(8 + payload.length).putShort((short) 40000).putShort((short) 6343)
                .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
        byte[] ip = Packets.ipv4(0, 64, 17, "127.0.0.1", "127.0.0.1", 0, udp);
        return ByteBuffer.allocate(14 + ip.length).put(new byte[12]).putShort((short) 0x0800).put(ip).array();
    }

    private static List<String[]> tshark(Path tshark, Path pcap) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tshark.toString(), "-r", pcap.toString(), "-T", "fields",
                "-E", "occurrence=a", "-E", "aggregator=|", "-E", "separator=/t"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String[]> rows = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    private static List<FlowRecord> only(List<FlowRecord> flows, Predicate<FlowRecord> p) {
        return flows.stream().filter(p).toList();
    }

    private static List<String> map(List<FlowRecord> flows, Function<FlowRecord, Object> field) {
        return flows.stream().map(f -> String.valueOf(field.apply(f))).toList();
    }

    private static String address(ByteString b) {
        try {
            return InetAddress.getByAddress(b.toByteArray()).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    private static String mac(ByteString b) {
        return HexFormat.ofDelimiter(":").formatHex(b.toByteArray());
    }

    /** One tshark line: every occurrence of each field, in packet order. */
    private static final class Row {
        private final String[] columns;
        private final String where;

        Row(String[] columns, String where) {
            this.columns = columns;
            this.where = where;
        }

        private List<String> values(String field) {
            int i = Arrays.asList(FIELDS).indexOf(field);
            String v = i < columns.length ? columns[i] : "";
            return v.isEmpty() ? List.of() : List.of(v.split("\\|"));
        }

        void same(String field, List<String> ours, Function<String, String> normalize) {
            assertThat(values(field).stream().map(normalize).toList()).as("%s: %s", where, field)
                    .isEqualTo(ours);
        }

        void sameSkippingOuter(String field, List<String> ours, Function<String, String> normalize) {
            List<String> all = values(field);
            assertThat(all.subList(Math.min(1, all.size()), all.size()).stream().map(normalize).toList())
                    .as("%s: %s", where, field).isEqualTo(ours);
        }

        static String address(String v) {
            try {
                return InetAddress.getByName(v).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return v;
            }
        }

        static String number(String v) {
            return Long.toString(Long.decode(v));
        }

        /** 0x3FFFFFFF: sFlow's "unknown / internal" interface, which we leave unset. */
        static String ifIndex(String v) {
            return "1073741823".equals(v) ? "0" : v;
        }
    }
}
