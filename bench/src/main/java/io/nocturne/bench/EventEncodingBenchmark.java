package io.nocturne.bench;

import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.WireFormat;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.syslog.SyslogDecoder;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The encoders on the hot path: a whole syslog {@code TelemetryEvent} to Kafka record bytes
 * (with headers), in binary protobuf (the default) and canonical JSON (per-topic option),
 * and back (what every consumer pays).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventEncodingBenchmark {

    private TelemetryEvent event;
    private ProtobufSerde<TelemetryEvent> protobuf;
    private ProtobufSerde<TelemetryEvent> json;
    private byte[] protobufBytes;
    private byte[] jsonBytes;

    @Setup
    public void setUp() {
        SyslogDecoder decoder = new SyslogDecoder(ZoneOffset.UTC, Clock.systemUTC());
        SyslogMessage message = ((DecodeResult.Decoded<SyslogMessage>) decoder.decode(
                ("<187>1 2026-03-10T11:59:58.123456+00:00 edge-rtr-1.example.net IOSXE 4242 LINK "
                        + "[origin@32473 ip=\"10.0.0.1\"] %LINK-3-UPDOWN: Interface GigabitEthernet0/0/1, changed state to down")
                        .getBytes(StandardCharsets.UTF_8))).value();
        event = TelemetryEvent.newBuilder()
                .setEventId("01970f1e-6a4b-7c3d-8e2f-1234567890ab")
                .setExporter(Endpoint.newBuilder().setAddress("192.0.2.17").setPort(51514))
                .setListenerEndpoint(Endpoint.newBuilder().setAddress("0.0.0.0").setPort(1514))
                .setListener("syslog-udp")
                .setTransport(Transport.TRANSPORT_UDP)
                .setReceiveTimeUnixNanos(1_795_776_479_763_000_000L)
                .setDevice(DeviceIdentity.newBuilder().setName("edge-rtr-1.example.net").setAddress("192.0.2.17"))
                .setSyslog(message)
                .build();
        protobuf = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(), WireFormat.PROTOBUF);
        json = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(), WireFormat.JSON);
        protobufBytes = protobuf.serialize(new RecordHeaders(), event);
        jsonBytes = json.serialize(new RecordHeaders(), event);
    }

    @Benchmark
    public byte[] encodeProtobuf() {
        return protobuf.serialize(new RecordHeaders(), event);
    }

    @Benchmark
    public byte[] encodeJson() {
        return json.serialize(new RecordHeaders(), event);
    }

    @Benchmark
    public TelemetryEvent decodeProtobuf() {
        return protobuf.decode(protobufBytes, WireFormat.PROTOBUF);
    }

    @Benchmark
    public TelemetryEvent decodeJson() {
        return json.decode(jsonBytes, WireFormat.JSON);
    }
}
