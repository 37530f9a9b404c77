package io.nocturne.bench;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.flow.sflow.SflowDatagram;
import io.nocturne.ingest.flow.sflow.SflowDecoder;
import java.nio.ByteBuffer;
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
 * sFlow v5 decoding on what a switch sends: datagrams of {@value #SAMPLES} flow samples, each
 * a 128-byte raw header (the agents' default) plus extended switch data. One operation is one
 * flow record, so the score is records per second on one thread (one core).
 *
 * <p>{@code java -jar bench/target/bench.jar SflowDecoderBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SflowDecoderBenchmark {

    static final int SAMPLES = 8;
    /** Seven fields and the record count, the raw header record, the extended switch record. */
    private static final int SAMPLE_BYTES = 32 + (8 + 16 + 128) + (8 + 16);

    /** ipv4-tcp: Ethernet/IPv4/TCP; qinq-ipv6: QinQ/IPv6 + hop-by-hop/UDP; mpls: 3 labels/IPv4/UDP. */
    @Param({"ipv4-tcp", "qinq-ipv6", "mpls"})
    public String shape;

    private byte[] datagram;
    private final SflowDecoder decoder = new SflowDecoder();

    @Setup
    public void setUp() {
        byte[] header = new byte[128];
        ByteBuffer h = ByteBuffer.wrap(header);
        h.put(new byte[] {0, 0x1c, 0x73, 1, 2, 3, 0, 0x1b, 0x21, 0x0a, 0x0b, 0x0c});
        switch (shape) {
            case "ipv4-tcp" -> {
                h.putShort((short) 0x0800);
                ipv4(h, 6);
                h.putShort((short) 51234).putShort((short) 443).putInt(1).putInt(0).putShort((short) 0x5018);
            }
            case "qinq-ipv6" -> {
                h.putShort((short) 0x88A8).putShort((short) 100).putShort((short) 0x8100).putShort((short) 200)
                        .putShort((short) 0x86DD);
                h.putInt(0x6000_0000).putShort((short) 1400).put((byte) 0).put((byte) 64);
                h.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
                h.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
                h.put((byte) 17).put((byte) 0).put(new byte[6]);
                h.putShort((short) 5353).putShort((short) 53);
            }
            case "mpls" -> {
                h.putShort((short) 0x8847).putInt(16_001 << 12 | 64).putInt(24_005 << 12 | 64)
                        .putInt(3 << 12 | 0x100 | 64);
                ipv4(h, 17);
                h.putShort((short) 5000).putShort((short) 4789);
            }
            default -> throw new IllegalArgumentException(shape);
        }
        ByteBuffer d = ByteBuffer.allocate(28 + SAMPLES * (8 + SAMPLE_BYTES));
        d.putInt(5).putInt(1).put(new byte[] {(byte) 192, 0, 2, 1}).putInt(0).putInt(42).putInt(3_600_000)
                .putInt(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            d.putInt(1).putInt(SAMPLE_BYTES);
            d.putInt(i).putInt(7).putInt(1024).putInt(1024 * i).putInt(0).putInt(7).putInt(9).putInt(2);
            d.putInt(1).putInt(16 + 128).putInt(1).putInt(1518).putInt(4).putInt(128).put(header);
            d.putInt(1001).putInt(16).putInt(100).putInt(0).putInt(200).putInt(0);
        }
        if (d.hasRemaining()) {
            throw new IllegalStateException("datagram layout: " + d.remaining() + " bytes unwritten");
        }
        datagram = d.array();
        DecodeResult<SflowDatagram> r = decoder.decode(datagram, 0);
        if (!(r instanceof DecodeResult.Decoded<SflowDatagram> ok) || ok.value().flows().size() != SAMPLES) {
            throw new IllegalStateException("benchmark input does not decode: " + shape + ": " + r);
        }
    }

    private static void ipv4(ByteBuffer h, int protocol) {
        h.put((byte) 0x45).put((byte) 0xB8).putShort((short) 1500).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 63).put((byte) protocol).putShort((short) 0)
                .put(new byte[] {10, 1, 2, 3}).put(new byte[] {(byte) 198, 51, 100, 7});
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public DecodeResult<SflowDatagram> decode() {
        return decoder.decode(datagram, 1_780_000_000_000_000_000L);
    }
}
