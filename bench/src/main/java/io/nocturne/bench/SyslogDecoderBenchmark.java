package io.nocturne.bench;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.syslog.SyslogDecoder;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The syslog decoder on the message shapes devices send: RFC 5424 with structured data,
 * RFC 5424 plain, RFC 3164, and a PRI + free text (Cisco ASA style). Also the cost of the
 * protobuf encoding that follows every decode, since together they are the per-datagram work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SyslogDecoderBenchmark {

    @Param({"rfc5424-sd", "rfc5424", "rfc3164", "unstructured"})
    public String shape;

    private byte[] message;
    private SyslogDecoder decoder;

    @Setup
    public void setUp() {
        decoder = new SyslogDecoder(ZoneOffset.UTC, Clock.systemUTC());
        String text = switch (shape) {
            case "rfc5424-sd" -> "<187>1 2026-03-10T11:59:58.123456+00:00 edge-rtr-1.example.net IOSXE 4242 LINK "
                    + "[timeQuality tzKnown=\"1\" isSynced=\"1\"][origin@32473 ip=\"10.0.0.1\" software=\"IOS-XE\"] "
                    + "%LINK-3-UPDOWN: Interface GigabitEthernet0/0/1, changed state to down";
            case "rfc5424" -> "<165>1 2026-03-10T11:59:58.003Z core-sw-2 sshd 812 - - Accepted publickey for noc from 192.0.2.10 port 50514 ssh2";
            case "rfc3164" -> "<34>Mar 10 11:59:58 fw-3 kernel[0]: IN=eth0 OUT= SRC=203.0.113.9 DST=192.0.2.1 PROTO=TCP DPT=22";
            case "unstructured" -> "<166>%ASA-6-302013: Built inbound TCP connection 4242 for outside:203.0.113.9/51234 (203.0.113.9/51234) to inside:192.0.2.5/443 (192.0.2.5/443)";
            default -> throw new IllegalArgumentException(shape);
        };
        message = text.getBytes(StandardCharsets.UTF_8);
        if (!(decoder.decode(message) instanceof DecodeResult.Decoded)) {
            throw new IllegalStateException("benchmark input does not decode: " + shape);
        }
    }

    @Benchmark
    public DecodeResult<SyslogMessage> decode() {
        return decoder.decode(message);
    }

    @Benchmark
    public byte[] decodeAndEncodeProtobuf() {
        return ((DecodeResult.Decoded<SyslogMessage>) decoder.decode(message)).value().toByteArray();
    }
}
