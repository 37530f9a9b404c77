package io.nocturne.ingest.flow.netflow5;

import static io.nocturne.ingest.flow.Bytes.u16;
import static io.nocturne.ingest.flow.Bytes.u32;

import com.google.protobuf.ByteString;
import io.nocturne.ingest.flow.ExportHeader;
import io.nocturne.ingest.flow.FlowPacketDecoder;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowUnknownField;
import java.util.List;

/**
 * NetFlow v1 and v7, the fixed formats around v5 that old routers and Catalyst switches
 * still send.
 *
 * <ul>
 *   <li>v1: a 16-byte header (no sequence number, no engine, no sampling) and up to 24
 *       48-byte records: v5's first 36 bytes, then pad(2), protocol, ToS, TCP flags,
 *       tcp_retx_cnt, tcp_retx_secs, tcp_misseq_cnt and 4 reserved bytes.</li>
 *   <li>v7 (Catalyst 5000 NetFlow Feature Card): a 24-byte header (v5's without engine and
 *       sampling: flow_sequence then 4 reserved bytes) and up to 27 52-byte records: v5's
 *       layout with a validity-flags byte in place of pad1, a second flags field in place of
 *       pad2, and router_sc (the router the switch shortcut) at 48.</li>
 * </ul>
 *
 * Neither format says its sampling rate: it comes from the configured per-exporter override,
 * else the record says it is unknown. Fields with no place in {@link FlowRecord} (v1's TCP
 * retransmission counters, v7's flags and router_sc) are carried, when not zero, as unknown
 * fields with enterprise 0 and as type the field's byte offset in its record.
 */
public final class LegacyNetflowDecoder {

    static final int V1_HEADER = 16;
    static final int V1_RECORD = 48;
    static final int V1_MAX = 24;
    static final int V7_HEADER = 24;
    static final int V7_RECORD = 52;
    static final int V7_MAX = 27;

    private LegacyNetflowDecoder() {
    }

    /** @return null, or why the packet cannot be decoded */
    public static String decodeV1(byte[] p, String exporter, long receiveNanos, FlowPacketDecoder state,
                                  List<FlowRecord> out) {
        String bad = check(p, "v1", V1_HEADER, V1_RECORD, V1_MAX);
        if (bad != null) {
            return bad;
        }
        int count = u16(p, 2);
        long boot = bootMillis(p);
        for (int i = 0; i < count; i++) {
            int o = V1_HEADER + i * V1_RECORD;
            FlowRecord.Builder b = common(p, o, FlowRecord.Protocol.PROTOCOL_NETFLOW_V1, 0, 0, boot)
                    .setIpProtocol(p[o + 38] & 0xFF)
                    .setIpTos(p[o + 39] & 0xFF)
                    .setDscp((p[o + 39] & 0xFF) >> 2)
                    .setTcpFlags(p[o + 40] & 0xFF);
            keepIfSet(b, p, o, 41, 1); // tcp_retx_cnt
            keepIfSet(b, p, o, 42, 1); // tcp_retx_secs
            keepIfSet(b, p, o, 43, 1); // tcp_misseq_cnt
            icmp(b);
            out.add(state.scaled(b, exporter, 0, FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET));
        }
        state.events().decoded(FlowRecord.Protocol.PROTOCOL_NETFLOW_V1, count);
        return null;
    }

    /** @return null, or why the packet cannot be decoded */
    public static String decodeV7(byte[] p, String exporter, long receiveNanos, FlowPacketDecoder state,
                                  List<FlowRecord> out) {
        String bad = check(p, "v7", V7_HEADER, V7_RECORD, V7_MAX);
        if (bad != null) {
            return bad;
        }
        int count = u16(p, 2);
        long boot = bootMillis(p);
        long sequence = u32(p, 16);
        long exportMillis = u32(p, 8) * 1000 + u32(p, 12) / 1_000_000;
        // Like v5, flow_sequence counts flows.
        state.sequence(new ExportHeader(FlowRecord.Protocol.PROTOCOL_NETFLOW_V7, exporter, 0, sequence, boot,
                exportMillis * 1_000_000L, receiveNanos), count, true);
        for (int i = 0; i < count; i++) {
            int o = V7_HEADER + i * V7_RECORD;
            FlowRecord.Builder b = common(p, o, FlowRecord.Protocol.PROTOCOL_NETFLOW_V7, 0, sequence, boot)
                    .setTcpFlags(p[o + 37] & 0xFF)
                    .setIpProtocol(p[o + 38] & 0xFF)
                    .setIpTos(p[o + 39] & 0xFF)
                    .setDscp((p[o + 39] & 0xFF) >> 2)
                    .setSrcAs(u16(p, o + 40))
                    .setDstAs(u16(p, o + 42))
                    .setSrcPrefixLength(p[o + 44] & 0xFF)
                    .setDstPrefixLength(p[o + 45] & 0xFF);
            keepIfSet(b, p, o, 36, 1); // flags: which fields are invalid
            keepIfSet(b, p, o, 46, 2); // flags
            keepIfSet(b, p, o, 48, 4); // router_sc
            icmp(b);
            out.add(state.scaled(b, exporter, 0, FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET));
        }
        state.events().decoded(FlowRecord.Protocol.PROTOCOL_NETFLOW_V7, count);
        return null;
    }

    /** The fixed formats' header and length checks: null, or why the packet cannot be decoded. */
    static String check(byte[] p, String v, int header, int record, int max) {
        if (p.length < header) {
            return v + ": " + p.length + " bytes, shorter than the " + header + "-byte header";
        }
        int count = u16(p, 2);
        if (count == 0 || count > max) {
            return v + ": count " + count + " is outside 1.." + max;
        }
        if (p.length < header + count * record) {
            return v + ": count " + count + " needs " + (header + count * record) + " bytes, got " + p.length;
        }
        return null;
    }

    /** Unix ms at the exporter's sysUpTime 0, from the header's uptime and export time. */
    private static long bootMillis(byte[] p) {
        long sysUptime = u32(p, 4);
        long exportMillis = u32(p, 8) * 1000 + u32(p, 12) / 1_000_000;
        return exportMillis - sysUptime;
    }

    /** The first 36 bytes, which v1, v5 and v7 records share. */
    static FlowRecord.Builder common(byte[] p, int o, FlowRecord.Protocol protocol, int domain, long sequence,
                                             long boot) {
        return FlowRecord.newBuilder()
                .setProtocol(protocol)
                .setObservationDomainId(domain)
                .setSequenceNumber(sequence)
                .setEtherType(0x0800)
                .setSrcAddress(ByteString.copyFrom(p, o, 4))
                .setDstAddress(ByteString.copyFrom(p, o + 4, 4))
                .setNextHop(ByteString.copyFrom(p, o + 8, 4))
                .setInInterface(u16(p, o + 12))
                .setOutInterface(u16(p, o + 14))
                .setPackets(u32(p, o + 16))
                .setBytes(u32(p, o + 20))
                .setFlowStartUnixNanos((boot + u32(p, o + 24)) * 1_000_000L)
                .setFlowEndUnixNanos((boot + u32(p, o + 28)) * 1_000_000L)
                .setSrcPort(u16(p, o + 32))
                .setDstPort(u16(p, o + 34));
    }

    /** v1, v5 and v7 have no ICMP fields: exporters put type << 8 | code in the destination port. */
    static void icmp(FlowRecord.Builder b) {
        if (b.getIpProtocol() == 1) {
            b.setIcmpType(b.getDstPort() >> 8).setIcmpCode(b.getDstPort() & 0xFF);
        }
    }

    private static void keepIfSet(FlowRecord.Builder b, byte[] p, int o, int at, int len) {
        for (int i = 0; i < len; i++) {
            if (p[o + at + i] != 0) {
                b.addUnknownFields_(FlowUnknownField.newBuilder().setEnterprise(0).setType(at)
                        .setValue(ByteString.copyFrom(p, o + at, len)));
                return;
            }
        }
    }
}
