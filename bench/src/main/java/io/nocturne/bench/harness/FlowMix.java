package io.nocturne.bench.harness;

import java.nio.ByteBuffer;

/**
 * Flow export packets for the load harness: NetFlow v5, v9 (RFC 3954), IPFIX (RFC 7011) or
 * sFlow v5, with 1 to {@link #MAX_PER_PACKET} flow records per packet (real exporters fill an
 * MTU: 20-30), the template in the same packet on an exporter's first packet and every
 * {@link #TEMPLATE_EVERY} packets after (exporters refresh templates periodically). Sequence
 * numbers follow each protocol's rule, so ingest sees no gaps: v5 and IPFIX count records,
 * v9 and sFlow count packets (sFlow samples count samples).
 * <p>A flow carries no text, so the harness's {@link Marker} travels in fields:
 * sourceIPv4Address = the run's tag ({@link #runTag}), packetDeltaCount = the sequence number,
 * flowStartMilliseconds = the send time (ms). NetFlow v5 has no templates: srcaddr = tag,
 * dPkts = seq, First = sysUpTime so the flow starts at the header's export time (= send time). octetDeltaCount, ports, protocol and the
 * destination vary like real traffic.
 */
public final class FlowMix {

    public enum Kind { NETFLOW_V5, NETFLOW_V9, IPFIX, SFLOW }

    /** sFlow has no timestamps: the send time rides in the sampled TCP ports as ms since this. */
    static final long SFLOW_EPOCH_MILLIS = 1_790_000_000_000L;

    public static final int TEMPLATE_ID = 256;
    public static final int TEMPLATE_EVERY = 64;
    /** NetFlow v5's limit (30 records per packet); the harness holds every kind to it. */
    public static final int MAX_PER_PACKET = 30;
    /** (IE, length): src/dst IPv4, ports, protocol, octets, packets, start/end ms. */
    private static final int[][] FIELDS = {{8, 4}, {12, 4}, {7, 2}, {11, 2}, {4, 1}, {1, 8}, {2, 8}, {152, 8}, {153, 8}};
    private static final int RECORD_BYTES = 4 + 4 + 2 + 2 + 1 + 8 + 8 + 8 + 8;

    private final Kind kind;
    /** Packets and records sent so far, per exporter. */
    private final long[] sentPerExporter;
    private final long[] recordsPerExporter;
    private final ByteBuffer out = ByteBuffer.allocate(8_192);

    public FlowMix(Kind kind, int exporters) {
        this.kind = kind;
        this.sentPerExporter = new long[exporters];
        this.recordsPerExporter = new long[exporters];
    }

    /** The IPv4 source address a run's flows carry: 198.18.x.y from the run id (RFC 2544 range). */
    public static byte[] runTag(String run) {
        int h = run.hashCode();
        return new byte[] {(byte) 198, (byte) 18, (byte) (h >>> 8), (byte) h};
    }

    /** The packet for sequence number {@code seq} from exporter {@code exporter}; returns its length. */
    public int write(long seq, int exporter, String run, long sendEpochMillis) {
        return write(seq, 1, exporter, run, sendEpochMillis);
    }

    /**
     * The packet carrying flows {@code seq .. seq + records - 1} from exporter {@code exporter};
     * returns its length.
     */
    public int write(long seq, int records, int exporter, String run, long sendEpochMillis) {
        if (records < 1 || records > MAX_PER_PACKET) {
            throw new IllegalArgumentException("records per packet must be 1.." + MAX_PER_PACKET);
        }
        long recordsBefore = recordsPerExporter[exporter];
        recordsPerExporter[exporter] += records;
        if (kind == Kind.NETFLOW_V5) {
            return writeV5(seq, records, recordsBefore, exporter, run, sendEpochMillis);
        }
        if (kind == Kind.SFLOW) {
            return writeSflow(seq, records, recordsBefore, exporter, run, sendEpochMillis);
        }
        long n = sentPerExporter[exporter]++;
        boolean template = n % TEMPLATE_EVERY == 0;
        out.clear();
        int unixSecs = (int) (sendEpochMillis / 1000);
        if (kind == Kind.IPFIX) {
            // RFC 7011 §3.1: the sequence number counts Data Records sent before this message
            out.putShort((short) 10).putShort((short) 0).putInt(unixSecs).putInt((int) recordsBefore).putInt(exporter);
        } else {
            // count = records + templates in the packet; sysUpTime ms; unix secs; sequence (packets); source id
            out.putShort((short) 9).putShort((short) (records + (template ? 1 : 0))).putInt(1_000_000).putInt(unixSecs)
                    .putInt((int) n).putInt(exporter);
        }
        if (template) {
            int setStart = out.position();
            out.putShort((short) (kind == Kind.IPFIX ? 2 : 0)).putShort((short) 0);
            out.putShort((short) TEMPLATE_ID).putShort((short) FIELDS.length);
            for (int[] f : FIELDS) {
                out.putShort((short) f[0]).putShort((short) f[1]);
            }
            out.putShort(setStart + 2, (short) (out.position() - setStart));
        }
        int setStart = out.position();
        out.putShort((short) TEMPLATE_ID).putShort((short) 0);
        byte[] tag = runTag(run);
        for (long s = seq; s < seq + records; s++) {
            out.put(tag);
            out.put((byte) 10).put((byte) (exporter & 0xff)).put((byte) (s >>> 8)).put((byte) s);
            out.putShort((short) (1024 + s % 60000)).putShort((short) 443).put((byte) 6);
            out.putLong(1_000 + s % 100_000).putLong(s).putLong(sendEpochMillis).putLong(sendEpochMillis);
        }
        out.putShort(setStart + 2, (short) (out.position() - setStart));
        if (kind == Kind.NETFLOW_V9) {
            while ((out.position() - setStart) % 4 != 0) {
                out.put((byte) 0); // RFC 3954 §5.3: flowsets padded to 32 bits
            }
            out.putShort(setStart + 2, (short) (out.position() - setStart));
        }
        if (kind == Kind.IPFIX) {
            out.putShort(2, (short) out.position());
        }
        return out.position();
    }

    private int writeV5(long seq, int records, long recordsBefore, int exporter, String run, long sendEpochMillis) {
        sentPerExporter[exporter]++;
        int sysUptime = 1_000_000;
        out.clear();
        out.putShort((short) 5).putShort((short) records).putInt(sysUptime).putInt((int) (sendEpochMillis / 1000))
                .putInt((int) (sendEpochMillis % 1000) * 1_000_000)
                .putInt((int) recordsBefore) // flow_sequence: flows sent before this packet
                .put((byte) 0).put((byte) exporter).putShort((short) 0);
        byte[] tag = runTag(run);
        for (long s = seq; s < seq + records; s++) {
            out.put(tag);
            out.put((byte) 10).put((byte) (exporter & 0xff)).put((byte) (s >>> 8)).put((byte) s);
            out.putInt(0).putShort((short) 1).putShort((short) 2);       // next hop, input, output
            out.putInt((int) s).putInt((int) (1_000 + s % 100_000));      // dPkts = seq, dOctets
            out.putInt(sysUptime).putInt(sysUptime);                      // First, Last = export time
            out.putShort((short) (1024 + s % 60000)).putShort((short) 443);
            out.put((byte) 0).put((byte) 0x18).put((byte) 6).put((byte) 0); // pad, TCP flags, proto, ToS
            out.putShort((short) 0).putShort((short) 0).put((byte) 24).put((byte) 24).putShort((short) 0);
        }
        return out.position();
    }

    /**
     * sFlow v5: {@code records} flow samples (rate 1), each with one raw-header record, an
     * Ethernet / IPv4 / TCP header whose source address is the run tag, destination address
     * the sequence number, and ports the send time ({@link #SFLOW_EPOCH_MILLIS} + 32-bit ms).
     */
    private int writeSflow(long seq, int records, long recordsBefore, int exporter, String run, long sendEpochMillis) {
        long n = sentPerExporter[exporter]++;
        int t = (int) (sendEpochMillis - SFLOW_EPOCH_MILLIS);
        out.clear();
        out.putInt(5).putInt(1).put(Sender.exporterAddress(exporter).getAddress()).putInt(0).putInt((int) n)
                .putInt((int) (sendEpochMillis % 86_400_000L)).putInt(records);
        for (int r = 0; r < records; r++) {
            writeSflowSample(seq + r, recordsBefore + r, t, run);
        }
        return out.position();
    }

    private void writeSflowSample(long seq, long sampleSeq, int t, String run) {
        out.putInt(1).putInt(32 + 8 + 16 + 56);                  // flow sample, length
        // sample sequence, source id, rate 1, sample pool, drops, input, output, one record
        out.putInt((int) sampleSeq).putInt(1).putInt(1).putInt((int) sampleSeq).putInt(0).putInt(1).putInt(2).putInt(1);
        out.putInt(1).putInt(16 + 56);                           // raw packet header record
        out.putInt(1).putInt(1_000 + (int) (seq % 400)).putInt(4).putInt(54);
        out.put(new byte[] {0, 0x1c, 0x73, 1, 2, 3, 0, 0x1c, 0x73, 4, 5, 6, 8, 0});  // Ethernet, IPv4
        out.put((byte) 0x45).put((byte) 0).putShort((short) 982).putShort((short) seq).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(runTag(run)).putInt((int) seq);
        out.putShort((short) (t >>> 16)).putShort((short) t).putInt(0).putInt(0)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 1024).putInt(0);  // TCP
        out.putShort((short) 0);                                 // pad the 54-byte header to 56
    }

    /** The send time an sFlow record of {@link #writeSflow} carries, unwrapped near {@code nowMillis}. */
    static long sflowSendMillis(int srcPort, int dstPort, long nowMillis) {
        long t = ((long) srcPort << 16 | dstPort) & 0xFFFFFFFFL;
        long wraps = Math.round((nowMillis - SFLOW_EPOCH_MILLIS - t) / 4294967296.0);
        return SFLOW_EPOCH_MILLIS + t + wraps * 4294967296L;
    }

    public byte[] buffer() {
        return out.array();
    }
}
