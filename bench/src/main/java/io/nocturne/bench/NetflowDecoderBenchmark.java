package io.nocturne.bench;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.flow.FlowPacketDecoder;
import io.nocturne.telemetry.v1.FlowRecord;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NetFlow v9 and IPFIX decoding, in flow records per second on one thread (one core): a
 * full export packet of {@value #RECORDS} IPv4 records of a typical 18-field router template,
 * decoded into {@code FlowRecord}s with the sampling rate resolved. Run:
 * {@code java -jar bench/target/benchmarks.jar NetflowDecoderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NetflowDecoderBenchmark {

    static final int RECORDS = 24;
    /** (IE, length): src/dst IPv4, next hop, in/out if, packets, octets, start, end, ports, flags, proto, ToS, AS, masks. */
    static final int[][] FIELDS = {{8, 4}, {12, 4}, {15, 4}, {10, 4}, {14, 4}, {2, 4}, {1, 8}, {22, 4}, {21, 4},
        {7, 2}, {11, 2}, {6, 1}, {4, 1}, {5, 1}, {16, 4}, {17, 4}, {9, 1}, {13, 1}};

    @Param({"netflow9", "ipfix"})
    public String protocol;

    private FlowPacketDecoder decoder;
    private byte[] packet;

    @Setup
    public void setUp() {
        decoder = FlowPacketDecoder.standalone();
        boolean ipfix = "ipfix".equals(protocol);
        int recordLen = 0;
        for (int[] f : FIELDS) {
            recordLen += f[1];
        }
        ByteBuffer template = ByteBuffer.allocate(8 + FIELDS.length * 4);
        template.putShort((short) (ipfix ? 2 : 0)).putShort((short) template.capacity()).putShort((short) 256)
                .putShort((short) FIELDS.length);
        for (int[] f : FIELDS) {
            // IPFIX: flowStart/EndSysUpTime need systemInitTime; use absolute seconds instead.
            int ie = ipfix && f[0] == 22 ? 150 : ipfix && f[0] == 21 ? 151 : f[0];
            template.putShort((short) ie).putShort((short) f[1]);
        }
        ByteBuffer data = ByteBuffer.allocate(4 + RECORDS * recordLen);
        data.putShort((short) 256).putShort((short) data.capacity());
        for (int r = 0; r < RECORDS; r++) {
            data.putInt(0x0A000000 + r).putInt(0xC0A80000 + r).putInt(0x0A0000FE).putInt(3).putInt(7).putInt(10 + r)
                    .putLong(1500L * (10 + r)).putInt(1_700_000_000).putInt(1_700_000_010).putShort((short) 443)
                    .putShort((short) (40000 + r)).put((byte) 0x1b).put((byte) 6).put((byte) 0).putInt(64500)
                    .putInt(64501).put((byte) 24).put((byte) 16);
        }
        packet = ipfix ? header(true, template.array(), data.array()) : header(false, template.array(), data.array());
        decoder.decode(packet, "192.0.2.1", 0);
        DecodeResult<List<FlowRecord>> check = decoder.decode(data(ipfix, data.array()), "192.0.2.1", 0);
        if (!(check instanceof DecodeResult.Decoded<List<FlowRecord>> d) || d.value().size() != RECORDS) {
            throw new IllegalStateException("benchmark packet does not decode to " + RECORDS + " records: " + check);
        }
        packet = data(ipfix, data.array());
    }

    private static byte[] header(boolean ipfix, byte[]... sets) {
        int len = ipfix ? 16 : 20;
        for (byte[] s : sets) {
            len += s.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        if (ipfix) {
            b.putShort((short) 10).putShort((short) len).putInt(1_700_000_100).putInt(0).putInt(1);
        } else {
            b.putShort((short) 9).putShort((short) RECORDS).putInt(3_600_000).putInt(1_700_000_100).putInt(0).putInt(1);
        }
        for (byte[] s : sets) {
            b.put(s);
        }
        return b.array();
    }

    private static byte[] data(boolean ipfix, byte[] set) {
        return header(ipfix, set);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public DecodeResult<List<FlowRecord>> decodeRecords() {
        return decoder.decode(packet, "192.0.2.1", 0);
    }
}
