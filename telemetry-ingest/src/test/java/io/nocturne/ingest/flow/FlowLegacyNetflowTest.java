package io.nocturne.ingest.flow;

import static io.nocturne.ingest.flow.FlowPackets.ipv4;
import static io.nocturne.ingest.flow.FlowTemplateStateTest.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowUnknownField;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NetFlow v1 and v7: hand-made packets field by field, and the same packets through tshark. */
class FlowLegacyNetflowTest {

    static final String EXPORTER = "192.0.2.1";
    static final long UNIX_SECS = 1_700_000_000L;
    static final long UPTIME = 3_600_000L; // the exporter booted an hour before the export

    /** v1: srcaddr … dstport as v5, pad(2), prot, tos, flags, retx_cnt, retx_secs, misseq_cnt, reserved(4). */
    static byte[] v1(int flows, int retxCount) {
        FlowPackets p = new FlowPackets().u16(1).u16(flows).u32(UPTIME).u32(UNIX_SECS).u32(500_000_000L);
        for (int i = 0; i < flows; i++) {
            p.raw(ipv4(10, 1, 0, i + 1)).raw(ipv4(10, 2, 0, 1)).raw(ipv4(10, 0, 0, 254))
                    .u16(3).u16(7).u32(10 + i).u32(1500L * (i + 1)).u32(UPTIME - 60_000).u32(UPTIME - 1_000)
                    .u16(40_000 + i).u16(443).u16(0).u8(6).u8(0xB8).u8(0x1B).u8(retxCount).u8(0).u8(0).u32(0);
        }
        return p.bytes();
    }

    /** v7: v5's header without engine/sampling; records v5's with flags at 36, flags2 at 46, router_sc at 48. */
    static byte[] v7(long sequence, int flows) {
        FlowPackets p = new FlowPackets().u16(7).u16(flows).u32(UPTIME).u32(UNIX_SECS).u32(0).u32(sequence).u32(0);
        for (int i = 0; i < flows; i++) {
            p.raw(ipv4(172, 16, 0, i + 1)).raw(ipv4(172, 17, 0, 1)).raw(ipv4(0, 0, 0, 0))
                    .u16(12).u16(13).u32(5).u32(400).u32(UPTIME - 2_000).u32(UPTIME - 500)
                    .u16(0).u16(0x0800 | i).u8(0).u8(0).u8(1).u8(0)
                    .u16(64_500).u16(64_501).u8(16).u8(24).u16(0).raw(ipv4(192, 0, 2, 99));
        }
        return p.bytes();
    }

    @Test
    void decodesNetflowV1FieldByField() {
        List<FlowRecord> r = ok(FlowPacketDecoder.standalone().decode(v1(2, 3), EXPORTER, 0));
        assertThat(r).hasSize(2);
        FlowRecord f = r.get(1);
        assertThat(f.getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_NETFLOW_V1);
        assertThat(f.getSrcAddress()).isEqualTo(ByteString.copyFrom(ipv4(10, 1, 0, 2)));
        assertThat(f.getDstAddress()).isEqualTo(ByteString.copyFrom(ipv4(10, 2, 0, 1)));
        assertThat(f.getNextHop()).isEqualTo(ByteString.copyFrom(ipv4(10, 0, 0, 254)));
        assertThat(f.getInInterface()).isEqualTo(3);
        assertThat(f.getOutInterface()).isEqualTo(7);
        assertThat(f.getPackets()).isEqualTo(11);
        assertThat(f.getBytes()).isEqualTo(3000);
        assertThat(f.getSrcPort()).isEqualTo(40_001);
        assertThat(f.getDstPort()).isEqualTo(443);
        assertThat(f.getIpProtocol()).isEqualTo(6);
        assertThat(f.getIpTos()).isEqualTo(0xB8);
        assertThat(f.getDscp()).isEqualTo(46);
        assertThat(f.getTcpFlags()).isEqualTo(0x1B);
        long boot = (UNIX_SECS * 1000 + 500) - UPTIME;
        assertThat(f.getFlowStartUnixNanos()).isEqualTo((boot + UPTIME - 60_000) * 1_000_000L);
        assertThat(f.getFlowEndUnixNanos()).isEqualTo((boot + UPTIME - 1_000) * 1_000_000L);
        assertThat(f.getSamplingSource()).isEqualTo(FlowRecord.SamplingSource.SAMPLING_SOURCE_UNKNOWN);
        assertThat(f.getBytesScaled()).isEqualTo(3000);
        assertThat(f.getUnknownFields_List()).containsExactly(FlowUnknownField.newBuilder().setEnterprise(0).setType(41)
                .setValue(ByteString.copyFrom(new byte[] {3})).build());
        assertThat(ok(FlowPacketDecoder.standalone().decode(v1(1, 0), EXPORTER, 0)).get(0).getUnknownFields_List())
                .as("zero counters are not carried").isEmpty();
    }

    @Test
    void decodesNetflowV7FieldByFieldAndCountsItsSequenceInFlows() {
        FlowTemplateStateTest.FlowRecordCounter events = new FlowTemplateStateTest.FlowRecordCounter();
        FlowPacketDecoder d = new FlowPacketDecoder(io.nocturne.ingest.flow.template.TemplateCache.inMemory(),
                null, null, events, null);
        List<FlowRecord> r = ok(d.decode(v7(100, 2), EXPORTER, 0));
        assertThat(r).hasSize(2);
        FlowRecord f = r.get(1);
        assertThat(f.getProtocol()).isEqualTo(FlowRecord.Protocol.PROTOCOL_NETFLOW_V7);
        assertThat(f.getSequenceNumber()).isEqualTo(100);
        assertThat(f.getSrcAddress()).isEqualTo(ByteString.copyFrom(ipv4(172, 16, 0, 2)));
        assertThat(f.getInInterface()).isEqualTo(12);
        assertThat(f.getOutInterface()).isEqualTo(13);
        assertThat(f.getPackets()).isEqualTo(5);
        assertThat(f.getBytes()).isEqualTo(400);
        assertThat(f.getIpProtocol()).isEqualTo(1);
        assertThat(f.getIcmpType()).isEqualTo(8);
        assertThat(f.getIcmpCode()).isEqualTo(1);
        assertThat(f.getSrcAs()).isEqualTo(64_500);
        assertThat(f.getDstAs()).isEqualTo(64_501);
        assertThat(f.getSrcPrefixLength()).isEqualTo(16);
        assertThat(f.getDstPrefixLength()).isEqualTo(24);
        assertThat(f.getUnknownFields_List()).as("router_sc kept, zero flags not")
                .containsExactly(FlowUnknownField.newBuilder().setEnterprise(0).setType(48)
                        .setValue(ByteString.copyFrom(ipv4(192, 0, 2, 99))).build());
        d.decode(v7(102, 1), EXPORTER, 0); // in order: 100 + 2 flows
        d.decode(v7(108, 1), EXPORTER, 0); // 5 flows lost before us
        assertThat(events.lost).containsExactly(java.util.Map.entry(FlowRecord.Protocol.PROTOCOL_NETFLOW_V7, 5L));
        assertThat(events.unknownSampling).as("v7 does not say its rate").isEqualTo(4);
    }

    @Test
    void truncatedOrMiscountedPacketsFailWithTheReason() {
        FlowPacketDecoder d = FlowPacketDecoder.standalone();
        byte[] v1 = v1(2, 0);
        assertThat(failure(d.decode(java.util.Arrays.copyOf(v1, 10), EXPORTER, 0)))
                .contains("v1: 10 bytes, shorter than the 16-byte header");
        assertThat(failure(d.decode(java.util.Arrays.copyOf(v1, v1.length - 1), EXPORTER, 0)))
                .contains("v1: count 2 needs 112 bytes, got 111");
        byte[] v7 = v7(1, 1);
        v7[3] = 28;
        assertThat(failure(d.decode(v7, EXPORTER, 0))).contains("v7: count 28 is outside 1..27");
        v7[3] = 0;
        assertThat(failure(d.decode(v7, EXPORTER, 0))).contains("v7: count 0 is outside 1..27");
    }

    private static String failure(DecodeResult<List<FlowRecord>> r) {
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
        DecodeResult.Failed<List<FlowRecord>> f = (DecodeResult.Failed<List<FlowRecord>>) r;
        assertThat(f.reason()).isEqualTo(DeadLetter.Reason.REASON_MALFORMED);
        return f.detail();
    }

    /** Every field tshark shows for v1 and v7 flows, flow by flow, against ours. */
    @Test
    void agreesWithTsharkFieldByField(@TempDir Path dir) throws Exception {
        List<byte[]> packets = List.of(v1(3, 0), v7(7, 4), v1(1, 9), v7(11, 2));
        List<FlowRecord> ours = new ArrayList<>();
        FlowPacketDecoder d = FlowPacketDecoder.standalone();
        for (byte[] p : packets) {
            ours.addAll(ok(d.decode(p, EXPORTER, 0)));
        }
        Path pcap = dir.resolve("legacy.pcap");
        Files.write(pcap, PcapUdp.write(packets, new int[] {1, 2, 1, 2}, 2055));
        String[] fields = {"cflow.srcaddr", "cflow.dstaddr", "cflow.nexthop", "cflow.inputint", "cflow.outputint",
            "cflow.packets", "cflow.octets", "cflow.srcport", "cflow.dstport", "cflow.protocol", "cflow.tos",
            "cflow.tcpflags", "cflow.srcas", "cflow.dstas", "cflow.srcmask", "cflow.dstmask"};
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==2055,cflow",
                "-T", "fields", "-E", "occurrence=a", "-E", "separator=\t"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "tshark not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            columns.add(new ArrayList<>());
        }
        for (String line : out.split("\n")) {
            String[] c = line.split("\t", -1);
            if (c.length < fields.length) {
                continue;
            }
            for (int i = 0; i < fields.length; i++) {
                if (!c[i].isEmpty()) {
                    columns.get(i).addAll(List.of(c[i].split(",")));
                }
            }
        }
        assertThat(columns.get(0)).as("tshark's flows").hasSize(ours.size());
        int v7Flows = 0;
        for (int i = 0; i < ours.size(); i++) {
            FlowRecord r = ours.get(i);
            String at = "flow " + i + " (" + r.getProtocol() + ")";
            assertThat(InetAddress.getByName(columns.get(0).get(i)).getAddress()).as(at)
                    .isEqualTo(r.getSrcAddress().toByteArray());
            assertThat(InetAddress.getByName(columns.get(1).get(i)).getAddress()).as(at)
                    .isEqualTo(r.getDstAddress().toByteArray());
            assertThat(InetAddress.getByName(columns.get(2).get(i)).getAddress()).as(at)
                    .isEqualTo(r.getNextHop().toByteArray());
            assertThat(columns.get(3).get(i)).as(at).isEqualTo(Long.toString(r.getInInterface()));
            assertThat(columns.get(4).get(i)).as(at).isEqualTo(Long.toString(r.getOutInterface()));
            assertThat(columns.get(5).get(i)).as(at).isEqualTo(Long.toString(r.getPackets()));
            assertThat(columns.get(6).get(i)).as(at).isEqualTo(Long.toString(r.getBytes()));
            assertThat(columns.get(7).get(i)).as(at).isEqualTo(Integer.toString(r.getSrcPort()));
            assertThat(columns.get(8).get(i)).as(at).isEqualTo(Integer.toString(r.getDstPort()));
            assertThat(columns.get(9).get(i)).as(at).isEqualTo(Integer.toString(r.getIpProtocol()));
            assertThat(Integer.decode(columns.get(10).get(i))).as(at).isEqualTo(r.getIpTos());
            assertThat(Integer.decode(columns.get(11).get(i))).as(at).isEqualTo(r.getTcpFlags());
            if (r.getProtocol() == FlowRecord.Protocol.PROTOCOL_NETFLOW_V7) {
                // v1 has no AS numbers or masks: tshark lists them for v7 flows only.
                assertThat(columns.get(12).get(v7Flows)).as(at).isEqualTo(Long.toString(r.getSrcAs()));
                assertThat(columns.get(13).get(v7Flows)).as(at).isEqualTo(Long.toString(r.getDstAs()));
                assertThat(columns.get(14).get(v7Flows)).as(at).isEqualTo(Integer.toString(r.getSrcPrefixLength()));
                assertThat(columns.get(15).get(v7Flows)).as(at).isEqualTo(Integer.toString(r.getDstPrefixLength()));
                v7Flows++;
            }
        }
        assertThat(v7Flows).isEqualTo(6);
        assertThat(columns.get(12)).as("tshark's v7 AS numbers").hasSize(6);
    }
}
