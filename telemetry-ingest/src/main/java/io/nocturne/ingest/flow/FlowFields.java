package io.nocturne.ingest.flow;

import com.google.protobuf.ByteString;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.FlowUnknownField;

/**
 * IANA information elements (RFC 7012 registry; NetFlow v9 field types 1–79 share the
 * numbers, RFC 3954 §8) → {@link FlowRecord} fields. Values are read at whatever length the
 * template gives (reduced-size encoding, RFC 7011 §6.2); what is not mapped is carried in
 * {@code unknown_fields}, so no record ever fails for a field.
 */
public final class FlowFields {

    private FlowFields() {
    }

    /** What one record says beyond the builder's fields, resolved in {@link #finish}. */
    public static final class Scratch {
        long deltaBytes = -1, totalBytes = -1, deltaPackets = -1, totalPackets = -1;
        long upStart = -1, upEnd = -1, systemInitMillis = -1;
        long startNanos = Long.MIN_VALUE, endNanos = Long.MIN_VALUE;
        long deltaStartMicros = -1, deltaEndMicros = -1;
        long samplingInterval = -1, packetInterval = -1, packetSpace = -1;
        long samplerId = -1;
        int tos = -1, dscp = -1, ipVersion = -1;
        boolean v4, v6;

        void reset() {
            deltaBytes = totalBytes = deltaPackets = totalPackets = -1;
            upStart = upEnd = systemInitMillis = -1;
            startNanos = endNanos = Long.MIN_VALUE;
            deltaStartMicros = deltaEndMicros = -1;
            samplingInterval = packetInterval = packetSpace = samplerId = -1;
            tos = dscp = ipVersion = -1;
            v4 = v6 = false;
        }

        /** 1-in-N from the record itself (RFC 7012 samplingInterval / samplerRandomInterval / §5.x packet interval+space), or 0. */
        public long packetSamplingRate() {
            if (samplingInterval > 0) {
                return samplingInterval;
            }
            if (packetInterval > 0) {
                long space = Math.max(0, packetSpace);
                return (packetInterval + space) / packetInterval;
            }
            return 0;
        }

        public long samplerId() {
            return samplerId;
        }
    }

    public static Scratch scratch() {
        return new Scratch();
    }

    static long unsigned(byte[] b, int off, int len) {
        long v = 0;
        int start = len > 8 ? off + len - 8 : off;
        for (int i = start; i < off + len; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** NTP timestamp (RFC 5905 §6, RFC 7011 §6.1.9/10) → Unix ns. */
    static long ntpNanos(long ntp, boolean micro) {
        long secs = (ntp >>> 32) - 2_208_988_800L;
        long frac = ntp & 0xFFFFFFFFL;
        if (micro) {
            // dateTimeMicroseconds: the low 11 bits of the fraction are ignored.
            frac &= ~0x7FFL;
        }
        return secs * 1_000_000_000L + ((frac * 1_000_000_000L) >>> 32);
    }

    /**
     * Applies one field of a data record.
     *
     * @param enterprise 0 for IANA elements and v9 field types
     */
    public static void apply(FlowRecord.Builder b, Scratch s, long enterprise, int id, byte[] buf, int off, int len) {
        if (enterprise != 0 || len == 0) {
            if (len > 0 || enterprise != 0) {
                unknown(b, enterprise, id, buf, off, len);
            }
            return;
        }
        switch (id) {
            case 1 -> s.deltaBytes = unsigned(buf, off, len);
            case 2 -> s.deltaPackets = unsigned(buf, off, len);
            case 85 -> s.totalBytes = unsigned(buf, off, len);
            case 86 -> s.totalPackets = unsigned(buf, off, len);
            case 4 -> b.setIpProtocol((int) unsigned(buf, off, len));
            case 5 -> s.tos = (int) unsigned(buf, off, len) & 0xFF;
            case 195 -> s.dscp = (int) unsigned(buf, off, len) & 0x3F;
            case 6 -> b.setTcpFlags((int) unsigned(buf, off, len));
            case 7 -> b.setSrcPort((int) unsigned(buf, off, len));
            case 11 -> b.setDstPort((int) unsigned(buf, off, len));
            case 8 -> { b.setSrcAddress(bytes(buf, off, len)); s.v4 = true; }
            case 12 -> { b.setDstAddress(bytes(buf, off, len)); s.v4 = true; }
            case 27 -> { b.setSrcAddress(bytes(buf, off, len)); s.v6 = true; }
            case 28 -> { b.setDstAddress(bytes(buf, off, len)); s.v6 = true; }
            case 9, 29 -> b.setSrcPrefixLength((int) unsigned(buf, off, len));
            case 13, 30 -> b.setDstPrefixLength((int) unsigned(buf, off, len));
            case 10 -> b.setInInterface((int) unsigned(buf, off, len));
            case 14 -> b.setOutInterface((int) unsigned(buf, off, len));
            case 15, 62 -> b.setNextHop(bytes(buf, off, len));
            case 18, 63 -> b.setBgpNextHop(bytes(buf, off, len));
            case 16 -> b.setSrcAs((int) unsigned(buf, off, len));
            case 17 -> b.setDstAs((int) unsigned(buf, off, len));
            case 21 -> s.upEnd = unsigned(buf, off, len);
            case 22 -> s.upStart = unsigned(buf, off, len);
            case 160 -> s.systemInitMillis = unsigned(buf, off, len);
            case 150 -> s.startNanos = unsigned(buf, off, len) * 1_000_000_000L;
            case 151 -> s.endNanos = unsigned(buf, off, len) * 1_000_000_000L;
            case 152 -> s.startNanos = unsigned(buf, off, len) * 1_000_000L;
            case 153 -> s.endNanos = unsigned(buf, off, len) * 1_000_000L;
            case 154 -> s.startNanos = len == 8 ? ntpNanos(unsigned(buf, off, 8), true) : s.startNanos;
            case 155 -> s.endNanos = len == 8 ? ntpNanos(unsigned(buf, off, 8), true) : s.endNanos;
            case 156 -> s.startNanos = len == 8 ? ntpNanos(unsigned(buf, off, 8), false) : s.startNanos;
            case 157 -> s.endNanos = len == 8 ? ntpNanos(unsigned(buf, off, 8), false) : s.endNanos;
            case 158 -> s.deltaStartMicros = unsigned(buf, off, len);
            case 159 -> s.deltaEndMicros = unsigned(buf, off, len);
            case 31 -> b.setFlowLabelIpv6((int) unsigned(buf, off, len) & 0xFFFFF);
            case 32, 139 -> {
                // icmpTypeCodeIPv4/IPv6: type in the high octet, code in the low one.
                int v = (int) unsigned(buf, off, len);
                b.setIcmpType((v >> 8) & 0xFF).setIcmpCode(v & 0xFF);
            }
            case 176, 178 -> b.setIcmpType((int) unsigned(buf, off, len));
            case 177, 179 -> b.setIcmpCode((int) unsigned(buf, off, len));
            case 34, 50 -> s.samplingInterval = unsigned(buf, off, len);
            case 305 -> s.packetInterval = unsigned(buf, off, len);
            case 306 -> s.packetSpace = unsigned(buf, off, len);
            case 48, 302 -> {
                s.samplerId = unsigned(buf, off, len);
                b.setSamplerId(s.samplerId);
            }
            case 56 -> b.setSrcMac(bytes(buf, off, len));
            case 80, 57 -> b.setDstMac(bytes(buf, off, len));
            case 58, 243 -> b.setSrcVlan((int) unsigned(buf, off, len) & 0xFFF);
            case 59, 254 -> b.setDstVlan((int) unsigned(buf, off, len) & 0xFFF);
            case 60 -> s.ipVersion = (int) unsigned(buf, off, len);
            case 61 -> b.setDirection((int) unsigned(buf, off, len));
            case 89 -> b.setForwardingStatus((int) unsigned(buf, off, len) & 0xFF);
            case 192 -> b.setIpTtl((int) unsigned(buf, off, len));
            case 70, 71, 72, 73, 74, 75, 76, 77, 78, 79 -> {
                // mplsTopLabelStackSection…10: label in the top 20 bits of 3 octets (RFC 3032).
                if (len >= 3) {
                    b.addMplsLabels((int) (unsigned(buf, off, 3) >>> 4));
                }
            }
            case 95 -> b.setApplicationId(bytes(buf, off, len));
            case 96 -> b.setApplicationName(string(buf, off, len));
            case 130, 131 -> b.setSamplerAddress(bytes(buf, off, len));
            default -> unknown(b, enterprise, id, buf, off, len);
        }
    }

    private static void unknown(FlowRecord.Builder b, long enterprise, int id, byte[] buf, int off, int len) {
        b.addUnknownFields_(FlowUnknownField.newBuilder().setEnterprise((int) enterprise).setType(id)
                .setValue(bytes(buf, off, len)));
    }

    static ByteString bytes(byte[] buf, int off, int len) {
        return ByteString.copyFrom(buf, off, len);
    }

    private static String string(byte[] buf, int off, int len) {
        int end = off + len;
        while (end > off && buf[end - 1] == 0) {
            end--;
        }
        return new String(buf, off, end - off, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Resolves counters, times, ToS/DSCP and ether type once every field is read.
     *
     * @param bootMillis    Unix ms at the exporter's sysUpTime 0 (v9 header), or -1
     * @param exportNanos   the export time from the header, for delta-µs times
     */
    public static void finish(FlowRecord.Builder b, Scratch s, long bootMillis, long exportNanos) {
        b.setBytes(s.deltaBytes >= 0 ? s.deltaBytes : Math.max(0, s.totalBytes));
        b.setPackets(s.deltaPackets >= 0 ? s.deltaPackets : Math.max(0, s.totalPackets));
        long boot = s.systemInitMillis >= 0 ? s.systemInitMillis : bootMillis;
        if (s.startNanos != Long.MIN_VALUE) {
            b.setFlowStartUnixNanos(s.startNanos);
        } else if (s.upStart >= 0 && boot >= 0) {
            b.setFlowStartUnixNanos((boot + s.upStart) * 1_000_000L);
        } else if (s.deltaStartMicros >= 0) {
            b.setFlowStartUnixNanos(exportNanos - s.deltaStartMicros * 1_000L);
        }
        if (s.endNanos != Long.MIN_VALUE) {
            b.setFlowEndUnixNanos(s.endNanos);
        } else if (s.upEnd >= 0 && boot >= 0) {
            b.setFlowEndUnixNanos((boot + s.upEnd) * 1_000_000L);
        } else if (s.deltaEndMicros >= 0) {
            b.setFlowEndUnixNanos(exportNanos - s.deltaEndMicros * 1_000L);
        }
        if (s.tos >= 0) {
            b.setIpTos(s.tos);
            b.setDscp(s.tos >> 2);
        }
        if (s.dscp >= 0) {
            b.setDscp(s.dscp);
        }
        if (s.ipVersion == 6 || (s.ipVersion < 0 && s.v6 && !s.v4)) {
            b.setEtherType(0x86DD);
        } else if (s.ipVersion == 4 || s.v4) {
            b.setEtherType(0x0800);
        }
    }
}
