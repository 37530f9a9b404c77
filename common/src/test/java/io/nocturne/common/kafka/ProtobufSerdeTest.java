package io.nocturne.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ProtobufSerdeTest {

    private static final TelemetryEvent EVENT = TelemetryEvent.newBuilder()
            .setEventId("0190f0a0-0000-7000-8000-000000000001")
            .setExporter(Endpoint.newBuilder().setAddress("192.0.2.1").setPort(514))
            .setReceiveTimeUnixNanos(1_700_000_000_000_000_001L)
            .setSyslog(SyslogMessage.newBuilder().setSeverity(0).setFacility(23).setMessage("x"))
            .build();

    @Test
    void writesProtobufWithContentTypeAndSchemaVersionHeaders() {
        var serde = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = serde.serializer().serialize("t", headers, EVENT);
        assertThat(bytes).isEqualTo(EVENT.toByteArray());
        assertThat(io.nocturne.common.kafka.RecordHeaders.lastString(headers, "content-type"))
                .isEqualTo("application/x-protobuf; messageType=nocturne.v1.TelemetryEvent");
        assertThat(io.nocturne.common.kafka.RecordHeaders.lastString(headers, "nocturne-schema-version")).isEqualTo("1");
        assertThat(serde.deserializer().deserialize("t", headers, bytes)).isEqualTo(EVENT);
    }

    @Test
    void writesCanonicalJsonAndAnyDeserializerFollowsTheHeader() {
        var json = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(), WireFormat.JSON);
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = json.serializer().serialize("t", headers, EVENT);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "{\"eventId\":\"0190f0a0-0000-7000-8000-000000000001\",\"exporter\":{\"address\":\"192.0.2.1\",\"port\":514},"
                        + "\"receiveTimeUnixNanos\":\"1700000000000000001\","
                        + "\"syslog\":{\"facility\":23,\"severity\":0,\"message\":\"x\"}}");
        // A protobuf-default reader still reads it: the header says JSON.
        var protobufReader = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
        TelemetryEvent back = protobufReader.deserializer().deserialize("t", headers, bytes);
        assertThat(back).isEqualTo(EVENT);
        assertThat(back.getSyslog().hasSeverity()).isTrue();
    }

    /** The deserializer remembers the last content-type it parsed: a topic switching formats mid-stream still reads right. */
    @Test
    void oneDeserializerFollowsEachRecordsHeaderAsTheFormatChanges() {
        var json = new ProtobufSerde<>(TelemetryEvent.getDefaultInstance(), WireFormat.JSON);
        var protobuf = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
        var reader = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance()).deserializer();
        for (var writer : java.util.List.of(protobuf, json, json, protobuf, json)) {
            RecordHeaders headers = new RecordHeaders();
            byte[] bytes = writer.serializer().serialize("t", headers, EVENT);
            assertThat(reader.deserialize("t", headers, bytes)).isEqualTo(EVENT);
        }
        // No header: the serde's own format.
        assertThat(reader.deserialize("t", new RecordHeaders(), EVENT.toByteArray())).isEqualTo(EVENT);
    }

    @Test
    void rejectsGarbageWithASerializationException() {
        var serde = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {(byte) 0xff, (byte) 0xff}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> WireFormat.parse("avro")).hasMessage("unknown wire format 'avro' (expected protobuf or json)");
    }

    @Test
    void eventIdsAreVersion7UuidsInTimeOrder() {
        var a = io.nocturne.common.event.EventIds.uuid7(1_700_000_000_000L);
        var b = io.nocturne.common.event.EventIds.uuid7(1_700_000_000_001L);
        assertThat(a.version()).isEqualTo(7);
        assertThat(a.variant()).isEqualTo(2);
        assertThat(a.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
        assertThat(a.toString().compareTo(b.toString())).isNegative();
    }

    @Test
    void topicOverridesKeepWhatIsNotSet() {
        Topic t = Topics.SYSLOG.withOverrides("custom", null, (short) 3, "json");
        assertThat(t.name()).isEqualTo("custom");
        assertThat(t.partitions()).isEqualTo(Topics.SYSLOG.partitions());
        assertThat(t.replicationFactor()).isEqualTo((short) 3);
        assertThat(t.wireFormat()).isEqualTo(WireFormat.JSON);
        assertThat(t.configs()).isEqualTo(Topics.SYSLOG.configs());
    }
}
