package io.nocturne.ingest.flow.netflow5;

import static io.nocturne.ingest.flow.Bytes.u16;
import static io.nocturne.ingest.flow.Bytes.u32;

import io.nocturne.ingest.flow.ExportHeader;
import io.nocturne.ingest.flow.FlowPacketDecoder;
import io.nocturne.telemetry.v1.FlowRecord;
import java.util.List;

/**
 * NetFlow v5 (Cisco's fixed format): a 24-byte header and up to 30 48-byte records. The
 * header's sampling_interval field (2 bits mode, 14 bits interval) is the packet's rate.
 */
public final class Netflow5Decoder {

    static final int HEADER = 24;
    static final int RECORD = 48;

    private Netflow5Decoder() {
    }



    /** @return null, or why the packet cannot be decoded */
    public static String decode(byte[] p, String exporter, long receiveNanos, FlowPacketDecoder state,
                                List<FlowRecord> out) {
        String bad = LegacyNetflowDecoder.check(p, "v5", HEADER, RECORD, 30);
        if (bad != null) {
            return bad;
        }
        int count = u16(p, 2);
        long sysUptime = u32(p, 4);
        long unixSecs = u32(p, 8);
        long unixNsecs = u32(p, 12);
        long sequence = u32(p, 16);
        int engine = u16(p, 20);
        int sampling = u16(p, 22);
        // Bits 15-14 are the sampling mode, 13-0 the interval (0: not sampled / unknown).
        long rate = sampling & 0x3FFF;
        long exportMillis = unixSecs * 1000 + unixNsecs / 1_000_000;
        long boot = exportMillis - sysUptime;
        ExportHeader h = new ExportHeader(FlowRecord.Protocol.PROTOCOL_NETFLOW_V5, exporter, engine, sequence, boot,
                exportMillis * 1_000_000L, receiveNanos);
        // v5 flow_sequence counts flows: the next packet should start count flows later.
        state.sequence(h, count, true);
        for (int i = 0; i < count; i++) {
            int o = HEADER + i * RECORD;
            FlowRecord.Builder b = LegacyNetflowDecoder.common(p, o, FlowRecord.Protocol.PROTOCOL_NETFLOW_V5,
                            engine, sequence, boot)
                    .setTcpFlags(p[o + 37] & 0xFF)
                    .setIpProtocol(p[o + 38] & 0xFF)
                    .setIpTos(p[o + 39] & 0xFF)
                    .setDscp((p[o + 39] & 0xFF) >> 2)
                    .setSrcAs(u16(p, o + 40))
                    .setDstAs(u16(p, o + 42))
                    .setSrcPrefixLength(p[o + 44] & 0xFF)
                    .setDstPrefixLength(p[o + 45] & 0xFF);
            LegacyNetflowDecoder.icmp(b);
            out.add(state.scaled(b, exporter, rate, FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET));
        }
        state.events().decoded(FlowRecord.Protocol.PROTOCOL_NETFLOW_V5, count);
        return null;
    }
}
