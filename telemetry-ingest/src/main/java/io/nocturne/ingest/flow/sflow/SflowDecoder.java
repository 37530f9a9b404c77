package io.nocturne.ingest.flow.sflow;

import com.google.protobuf.ByteString;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.flow.sflow.SflowDatagram.SampleKind;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowUnknownField;
import io.nocturne.telemetry.v1.InterfaceCounters;
import java.util.ArrayList;
import java.util.List;

/**
 * sFlow version 5 (sflow.org, "sFlow Version 5", July 2004; the XDR structures quoted in the
 * comments are its names) from datagram bytes to normalized records. Pure and thread-safe;
 * never throws: a datagram whose lengths do not add up is a {@link DecodeResult.Failed}
 * (the whole datagram is dead-lettered, since a wrong length makes every later byte suspect),
 * while a sample or record of a format it does not know is skipped by its length and carried
 * through as raw bytes.
 */
public final class SflowDecoder {

    /** data_format = enterprise (20 bits) &lt;&lt; 12 | format (12 bits). */
    private static final int FLOW_SAMPLE = 1;
    private static final int COUNTER_SAMPLE = 2;
    private static final int EXPANDED_FLOW_SAMPLE = 3;
    private static final int EXPANDED_COUNTER_SAMPLE = 4;

    private static final int RAW_PACKET_HEADER = 1;
    private static final int SAMPLED_ETHERNET = 2;
    private static final int SAMPLED_IPV4 = 3;
    private static final int SAMPLED_IPV6 = 4;
    private static final int EXTENDED_SWITCH = 1001;
    private static final int EXTENDED_ROUTER = 1002;
    private static final int EXTENDED_GATEWAY = 1003;

    private static final int GENERIC_INTERFACE_COUNTERS = 1;
    private static final int ETHERNET_COUNTERS = 2;

    /** Interface value meaning "unknown" or "internal" (sFlow v5 "interface", 0x3FFFFFFF). */
    private static final int INTERFACE_UNKNOWN = 0x3FFF_FFFF;

    /** Decodes at receive time {@code receiveUnixNanos} (the flow's start and end: sFlow has no flow times). */
    public DecodeResult<SflowDatagram> decode(byte[] datagram, long receiveUnixNanos) {
        return decode(datagram, 0, datagram.length, receiveUnixNanos);
    }

    public DecodeResult<SflowDatagram> decode(byte[] datagram, int offset, int length, long receiveUnixNanos) {
        if (length == 0) {
            return DecodeResult.failed(DeadLetter.Reason.REASON_EMPTY, "empty datagram");
        }
        if (length < 4) {
            return DecodeResult.failed(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT,
                    length + " bytes: too short for an sFlow version");
        }
        XdrReader in = new XdrReader(datagram, offset, offset + length);
        int version = in.int32("version");
        if (version != 5) {
            // sFlow v2/v4 (RFC 3176) differ in their sample layouts; no agent shipped in the
            // last fifteen years sends them by default.
            return DecodeResult.failed(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT,
                    "sFlow version " + Integer.toUnsignedString(version) + ", only version 5 is decoded");
        }
        try {
            return DecodeResult.decoded(datagram(in, receiveUnixNanos));
        } catch (XdrReader.Malformed e) {
            return DecodeResult.failed(DeadLetter.Reason.REASON_MALFORMED, e.getMessage());
        }
    }

    private static SflowDatagram datagram(XdrReader in, long receiveUnixNanos) {
        ByteString agent = address(in, "agent_address");
        long subAgent = in.uint32("sub_agent_id");
        long sequence = in.uint32("sequence_number");
        long uptime = in.uint32("uptime");
        long count = in.uint32("samples count");
        // Each sample takes at least its 8-byte format and length: a count beyond that is garbage.
        if (count > in.remaining() / 8) {
            throw new XdrReader.Malformed("samples count " + count + " cannot fit in " + in.remaining() + " bytes");
        }
        Datagram d = new Datagram(agent, (int) subAgent, sequence, receiveUnixNanos);
        List<FlowRecord> flows = new ArrayList<>((int) count);
        List<InterfaceCounters> counters = new ArrayList<>(0);
        for (int i = 0; i < count; i++) {
            int format = in.int32("sample data_format");
            XdrReader sample = in.slice(in.uint32("sample length"), "sample " + i);
            switch (format) {
                case FLOW_SAMPLE -> flows.add(flowSample(sample, false, d));
                case EXPANDED_FLOW_SAMPLE -> flows.add(flowSample(sample, true, d));
                case COUNTER_SAMPLE -> counters.add(counterSample(sample, false, d));
                case EXPANDED_COUNTER_SAMPLE -> counters.add(counterSample(sample, true, d));
                default -> d.samples[SampleKind.UNKNOWN.ordinal()]++;
            }
        }
        return new SflowDatagram(agent, subAgent, sequence, uptime, flows, counters, d.samples,
                d.unknownFlowRecords, d.unknownCounterRecords);
    }

    /** Per-datagram context shared by its samples. */
    private static final class Datagram {
        final ByteString agent;
        final int subAgent;
        final long sequence;
        final long receiveUnixNanos;
        final int[] samples = new int[SampleKind.values().length];
        int unknownFlowRecords;
        int unknownCounterRecords;

        Datagram(ByteString agent, int subAgent, long sequence, long receiveUnixNanos) {
            this.agent = agent;
            this.subAgent = subAgent;
            this.sequence = sequence;
            this.receiveUnixNanos = receiveUnixNanos;
        }
    }

    /** sFlow v5 "address": type 1 IPv4 (4 bytes), 2 IPv6 (16 bytes), 0 unknown (nothing). */
    private static ByteString address(XdrReader in, String what) {
        int type = in.int32(what + " type");
        int n = switch (type) {
            case 0 -> 0;
            case 1 -> 4;
            case 2 -> 16;
            default -> throw new XdrReader.Malformed(what + " type " + Integer.toUnsignedString(type)
                    + " is neither IPv4 (1) nor IPv6 (2)");
        };
        if (n == 0) {
            return ByteString.EMPTY;
        }
        in.need(n, what);
        ByteString a = ByteString.copyFrom(in.buf, in.pos, n);
        in.pos += n;
        return a;
    }

    /** "flow_sample" (format 1) and "flow_sample_expanded" (format 3). */
    private static FlowRecord flowSample(XdrReader in, boolean expanded, Datagram d) {
        d.samples[(expanded ? SampleKind.EXPANDED_FLOW : SampleKind.FLOW).ordinal()]++;
        in.int32("flow sample sequence_number"); // per source; loss is counted per datagram
        long sourceType;
        long sourceIndex;
        if (expanded) {
            sourceType = in.uint32("source_id_type");
            sourceIndex = in.uint32("source_id_index");
        } else {
            int source = in.int32("source_id");
            sourceType = source >>> 24;
            sourceIndex = source & 0x00FF_FFFF;
        }
        long rate = in.uint32("sampling_rate");
        long pool = in.uint32("sample_pool");
        long drops = in.uint32("drops");
        int inputFormat;
        int input;
        int outputFormat;
        int output;
        if (expanded) {
            inputFormat = in.int32("input format");
            input = in.int32("input value");
            outputFormat = in.int32("output format");
            output = in.int32("output value");
        } else {
            int i = in.int32("input");
            int o = in.int32("output");
            inputFormat = i >>> 30;
            input = i & 0x3FFF_FFFF;
            outputFormat = o >>> 30;
            output = o & 0x3FFF_FFFF;
        }
        FlowRecord.Builder f = FlowRecord.newBuilder()
                .setProtocol(FlowRecord.Protocol.PROTOCOL_SFLOW_V5)
                .setObservationDomainId(d.subAgent)
                .setSubAgentId(d.subAgent)
                .setSequenceNumber(d.sequence)
                .setSamplerAddress(d.agent)
                .setSamplerId(sourceType << 32 | sourceIndex)
                .setTemplateId(expanded ? EXPANDED_FLOW_SAMPLE : FLOW_SAMPLE)
                .setSamplePool(pool)
                .setSampleDrops(drops)
                .setFlowStartUnixNanos(d.receiveUnixNanos)
                .setFlowEndUnixNanos(d.receiveUnixNanos);
        if (inputFormat == 0 && input != INTERFACE_UNKNOWN) {
            f.setInInterface(input);
        }
        switch (outputFormat) {
            case 0 -> {
                if (output != INTERFACE_UNKNOWN) {
                    f.setOutInterface(output);
                }
            }
            case 1 -> f.setForwardingStatus(discardStatus(output));
            // 2: sent to several interfaces (value = how many; 0 unknown): no single one to name.
            default -> {
            }
        }
        long count = in.uint32("flow records count");
        if (count > in.remaining() / 8) {
            throw new XdrReader.Malformed("flow records count " + count + " cannot fit in " + in.remaining() + " bytes");
        }
        for (int i = 0; i < count; i++) {
            int format = in.int32("flow record data_format");
            XdrReader record = in.slice(in.uint32("flow record length"), "flow record " + i);
            flowRecord(format, record, f, d);
        }
        // A flow sample is one sampled packet, whatever records describe it; packets and bytes
        // are as sampled, then scaled by the rate the agent sent with them.
        f.setPackets(1);
        if (rate > 0) {
            f.setSamplingRate(rate).setSamplingSource(FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET);
            f.setBytesScaled(f.getBytes() * rate).setPacketsScaled(f.getPackets() * rate);
        } else {
            f.setBytesScaled(f.getBytes()).setPacketsScaled(f.getPackets());
        }
        return f.build();
    }

    /**
     * RFC 7270 forwardingStatus for an sFlow discard reason (the output interface's value when
     * its format is 1): ICMP unreachable codes 0..255, then sFlow's own 256..262.
     */
    static int discardStatus(int reason) {
        return switch (reason) {
            case 0, 1, 5, 6, 7 -> 131;        // network / host unreachable, no route: "Unroutable"
            case 4 -> 133;                    // fragmentation needed and DF set
            case 9, 10, 13 -> 129;            // administratively prohibited: "ACL deny"
            case 257 -> 137;                  // TTL exceeded: "Bad TTL"
            case 258 -> 129;                  // ACL
            case 260 -> 139;                  // RED: "WRED"
            case 261 -> 138;                  // traffic shaping: "Policer"
            default -> 128;                   // "Dropped, unknown"
        };
    }

    private static void flowRecord(int format, XdrReader in, FlowRecord.Builder f, Datagram d) {
        switch (format) {
            case RAW_PACKET_HEADER -> {
                int protocol = in.int32("header_protocol");
                long frameLength = in.uint32("frame_length");
                in.uint32("stripped");
                int headerLength = in.int32("header length");
                int start = in.pos;
                in.skipOpaque(headerLength, "header");
                f.setBytes(frameLength);
                if (!SampledHeader.decode(protocol, in.buf, start, start + headerLength, f)) {
                    unknown(format, in, f, d);
                }
            }
            case SAMPLED_ETHERNET -> {
                long length = in.uint32("sampled_ethernet length");
                in.need(8 + 8 + 4, "sampled_ethernet");
                // mac is opaque[6]: six bytes and two of XDR padding.
                f.setSrcMac(ByteString.copyFrom(in.buf, in.pos, 6)).setDstMac(ByteString.copyFrom(in.buf, in.pos + 8, 6));
                in.pos += 16;
                int type = in.int32("sampled_ethernet type");
                if (f.getEtherType() == 0) {
                    f.setEtherType(type);
                }
                if (f.getBytes() == 0) {
                    f.setBytes(length);
                }
            }
            case SAMPLED_IPV4, SAMPLED_IPV6 -> {
                boolean v6 = format == SAMPLED_IPV6;
                long length = in.uint32("sampled_ip length");
                int protocol = in.int32("sampled_ip protocol");
                int n = v6 ? 16 : 4;
                in.need(2 * n, "sampled_ip addresses");
                f.setSrcAddress(ByteString.copyFrom(in.buf, in.pos, n))
                        .setDstAddress(ByteString.copyFrom(in.buf, in.pos + n, n));
                in.pos += 2 * n;
                int srcPort = in.int32("src_port");
                int dstPort = in.int32("dst_port");
                int tcpFlags = in.int32("tcp_flags");
                int tos = in.int32(v6 ? "priority" : "tos");
                f.setEtherType(v6 ? SampledHeader.ETHERTYPE_IPV6 : SampledHeader.ETHERTYPE_IPV4)
                        .setIpProtocol(protocol).setTcpFlags(tcpFlags).setIpTos(tos & 0xFF).setDscp((tos & 0xFF) >>> 2);
                if (protocol == 1 || protocol == 58) {
                    // sFlow puts ICMP type and code in the port fields (as NetFlow does).
                    f.setIcmpType(srcPort & 0xFF).setIcmpCode(dstPort & 0xFF);
                } else {
                    f.setSrcPort(srcPort).setDstPort(dstPort);
                }
                if (f.getBytes() == 0) {
                    f.setBytes(length);
                }
            }
            case EXTENDED_SWITCH -> {
                // The switch knows the VLANs better than a (possibly untagged) frame does.
                f.setSrcVlan(in.int32("src_vlan")).setSrcVlanPriority(in.int32("src_priority"))
                        .setDstVlan(in.int32("dst_vlan")).setDstVlanPriority(in.int32("dst_priority"));
            }
            case EXTENDED_ROUTER -> {
                f.setNextHop(address(in, "next_hop"));
                f.setSrcPrefixLength(in.int32("src_mask_len")).setDstPrefixLength(in.int32("dst_mask_len"));
            }
            case EXTENDED_GATEWAY -> gateway(in, f);
            default -> unknown(format, in, f, d);
        }
    }

    /**
     * "extended_gateway": the BGP next hop; src_as as sent; dst_as the last AS of the path to
     * the destination (its origin). An empty path or a zero source AS means the router's own
     * AS (the prefix is local), as pmacct and goflow2 read it.
     */
    private static void gateway(XdrReader in, FlowRecord.Builder f) {
        f.setBgpNextHop(address(in, "gateway next_hop"));
        int routerAs = in.int32("as");
        int srcAs = in.int32("src_as");
        in.int32("src_peer_as");
        long segments = in.uint32("dst_as_path segments");
        if (segments > in.remaining() / 8) {
            throw new XdrReader.Malformed("dst_as_path segments " + segments + " cannot fit");
        }
        int dstAs = 0;
        for (int s = 0; s < segments; s++) {
            in.int32("as_path_type");
            long n = in.uint32("as_path length");
            if (n > in.remaining() / 4) {
                throw new XdrReader.Malformed("as_path length " + n + " cannot fit");
            }
            for (int i = 0; i < n; i++) {
                dstAs = in.int32("as_path as");
            }
        }
        // communities and localpref follow; nothing in the record holds them.
        f.setSrcAs(srcAs != 0 ? srcAs : routerAs).setDstAs(dstAs != 0 ? dstAs : routerAs);
    }

    private static void unknown(int format, XdrReader in, FlowRecord.Builder f, Datagram d) {
        d.unknownFlowRecords++;
        f.addUnknownFields_(unknownField(format, in));
    }

    /** The whole record as sent (enterprise, format, raw bytes), re-read from its start. */
    private static FlowUnknownField unknownField(int format, XdrReader record) {
        return FlowUnknownField.newBuilder().setEnterprise(format >>> 12).setType(format & 0xFFF)
                .setValue(ByteString.copyFrom(record.buf, record.start, record.limit - record.start)).build();
    }

    /** "counters_sample" (format 2) and "counters_sample_expanded" (format 4). */
    private static InterfaceCounters counterSample(XdrReader in, boolean expanded, Datagram d) {
        d.samples[(expanded ? SampleKind.EXPANDED_COUNTER : SampleKind.COUNTER).ordinal()]++;
        long sequence = in.uint32("counter sample sequence_number");
        InterfaceCounters.Builder c = InterfaceCounters.newBuilder().setAgentAddress(d.agent)
                .setSubAgentId(d.subAgent).setSequenceNumber(sequence);
        if (expanded) {
            c.setSourceIdType(in.int32("source_id_type")).setSourceIdIndex(in.int32("source_id_index"));
        } else {
            int source = in.int32("source_id");
            c.setSourceIdType(source >>> 24).setSourceIdIndex(source & 0x00FF_FFFF);
        }
        long count = in.uint32("counter records count");
        if (count > in.remaining() / 8) {
            throw new XdrReader.Malformed("counter records count " + count + " cannot fit in " + in.remaining() + " bytes");
        }
        for (int i = 0; i < count; i++) {
            int format = in.int32("counter record data_format");
            XdrReader record = in.slice(in.uint32("counter record length"), "counter record " + i);
            switch (format) {
                case GENERIC_INTERFACE_COUNTERS -> genericInterface(record, c);
                case ETHERNET_COUNTERS -> ethernet(record, c);
                default -> {
                    // VLAN (5), processor (1001), host (2000+), vendor records: carried whole.
                    d.unknownCounterRecords++;
                    c.addUnknownRecords(unknownField(format, record));
                }
            }
        }
        return c.build();
    }

    /** "if_counters" (format 1), IF-MIB semantics (RFC 2863). */
    private static void genericInterface(XdrReader in, InterfaceCounters.Builder c) {
        c.setIfIndex(in.int32("ifIndex")).setIfType(in.int32("ifType")).setIfSpeed(in.uint64("ifSpeed"))
                .setIfDirection(in.int32("ifDirection")).setIfStatus(in.int32("ifStatus"))
                .setInOctets(in.uint64("ifInOctets")).setInUnicastPackets(in.uint32("ifInUcastPkts"))
                .setInMulticastPackets(in.uint32("ifInMulticastPkts"))
                .setInBroadcastPackets(in.uint32("ifInBroadcastPkts")).setInDiscards(in.uint32("ifInDiscards"))
                .setInErrors(in.uint32("ifInErrors")).setInUnknownProtocols(in.uint32("ifInUnknownProtos"))
                .setOutOctets(in.uint64("ifOutOctets")).setOutUnicastPackets(in.uint32("ifOutUcastPkts"))
                .setOutMulticastPackets(in.uint32("ifOutMulticastPkts"))
                .setOutBroadcastPackets(in.uint32("ifOutBroadcastPkts")).setOutDiscards(in.uint32("ifOutDiscards"))
                .setOutErrors(in.uint32("ifOutErrors")).setPromiscuousMode(in.int32("ifPromiscuousMode"));
    }

    /** "ethernet_counters" (format 2), EtherLike-MIB (RFC 3635) dot3Stats*. */
    private static void ethernet(XdrReader in, InterfaceCounters.Builder c) {
        c.setDot3AlignmentErrors(in.uint32("dot3StatsAlignmentErrors"))
                .setDot3FcsErrors(in.uint32("dot3StatsFCSErrors"))
                .setDot3SingleCollisionFrames(in.uint32("dot3StatsSingleCollisionFrames"))
                .setDot3MultipleCollisionFrames(in.uint32("dot3StatsMultipleCollisionFrames"))
                .setDot3SqeTestErrors(in.uint32("dot3StatsSQETestErrors"))
                .setDot3DeferredTransmissions(in.uint32("dot3StatsDeferredTransmissions"))
                .setDot3LateCollisions(in.uint32("dot3StatsLateCollisions"))
                .setDot3ExcessiveCollisions(in.uint32("dot3StatsExcessiveCollisions"))
                .setDot3InternalMacTransmitErrors(in.uint32("dot3StatsInternalMacTransmitErrors"))
                .setDot3CarrierSenseErrors(in.uint32("dot3StatsCarrierSenseErrors"))
                .setDot3FrameTooLongs(in.uint32("dot3StatsFrameTooLongs"))
                .setDot3InternalMacReceiveErrors(in.uint32("dot3StatsInternalMacReceiveErrors"))
                .setDot3SymbolErrors(in.uint32("dot3StatsSymbolErrors"));
    }
}
