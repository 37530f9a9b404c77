package io.nocturne.ingest.flow.sflow;

import static io.nocturne.ingest.flow.sflow.SflowEncoder.counterSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.datagram;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.flowSample;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.genericInterface;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.sampledIp;
import static io.nocturne.ingest.flow.sflow.SflowEncoder.tlv;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.common.kafka.Topics;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SflowDatagramDecoderTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SflowDatagramDecoder decoder = new SflowDatagramDecoder(Topics.FLOWS, Topics.COUNTERS,
            new SflowMetrics(registry, "sflow"));

    private static ReceiveContext context(boolean keepRaw) {
        return new ReceiveContext("sflow", Transport.TRANSPORT_UDP, new InetSocketAddress("127.0.0.5", 40000),
                new InetSocketAddress("127.0.0.1", 6343), 1_000_000_000L, keepRaw);
    }

    private List<TelemetryEvent> events(byte[] bytes, boolean keepRaw) {
        DecodeResult<List<TelemetryEvent>> r = decoder.decode(bytes, context(keepRaw));
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<List<TelemetryEvent>>) r).value();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private static byte[] mixed(long sequence) {
        return datagram("192.0.2.77", 0, sequence, 1,
                flowSample(1, 0, 3, 100, 100, 0, 1, 2, sampledIp(60, 17, "10.0.0.1", "10.0.0.2", 1, 2, 0, 0),
                        tlv(9, 9, new byte[4])),
                counterSample(1, 0, 3, genericInterface(3, 0), tlv(1001, new byte[28])),
                tlv(0, 5, new byte[8]));
    }

    @Test
    void sendsFlowsToTheFlowsTopicAndCountersToTheCountersTopicNamingTheAgent() {
        byte[] bytes = mixed(1);
        List<TelemetryEvent> events = events(bytes, true);

        assertThat(events).hasSize(2);
        TelemetryEvent flow = events.get(0);
        TelemetryEvent counters = events.get(1);
        assertThat(flow.getBodyCase()).isEqualTo(TelemetryEvent.BodyCase.FLOW);
        assertThat(counters.getBodyCase()).isEqualTo(TelemetryEvent.BodyCase.COUNTERS);
        assertThat(decoder.topicOf(flow)).isEqualTo(Topics.FLOWS);
        assertThat(decoder.topicOf(counters)).isEqualTo(Topics.COUNTERS);
        assertThat(decoder.topic()).isEqualTo(Topics.FLOWS);
        assertThat(decoder.protocol()).isEqualTo("sflow");
        assertThat(flow.getExporter().getAddress()).isEqualTo("127.0.0.5");
        assertThat(flow.getDevice().getAddress()).isEqualTo("192.0.2.77");
        assertThat(flow.getDevice().getName()).isEqualTo("192.0.2.77");
        assertThat(flow.getListener()).isEqualTo("sflow");
        assertThat(flow.getRaw().toByteArray()).isEqualTo(bytes);
        assertThat(counters.getCounters().getIfIndex()).isEqualTo(3);
        assertThat(events(bytes, false).get(0).getRaw().isEmpty()).isTrue();
    }

    @Test
    void countsSamplesByTypeAndUnknownRecordsByKind() {
        events(mixed(1), false);
        events(mixed(2), false);

        assertThat(count("nocturne.ingest.sflow.samples", "type", "flow")).isEqualTo(2);
        assertThat(count("nocturne.ingest.sflow.samples", "type", "counter")).isEqualTo(2);
        assertThat(count("nocturne.ingest.sflow.samples", "type", "unknown")).isEqualTo(2);
        assertThat(count("nocturne.ingest.sflow.samples", "type", "expanded_flow")).isZero();
        assertThat(count("nocturne.ingest.sflow.unknown.records", "kind", "flow")).isEqualTo(2);
        assertThat(count("nocturne.ingest.sflow.unknown.records", "kind", "counter")).isEqualTo(2);
    }

    @Test
    void countsDatagramsMissingFromAnAgentsSequenceAndRestartsApart() {
        for (long seq : new long[] {10, 11, 14, 15, 3, 4}) {
            events(mixed(seq), false);
        }
        assertThat(count("nocturne.ingest.sflow.sequence.lost")).isEqualTo(2); // 12 and 13
        assertThat(count("nocturne.ingest.sflow.sequence.restarts")).isEqualTo(1); // 15 → 3
    }

    @Test
    void tracksSequencesPerAgentAndSubAgentAndAcrossTheWrap() {
        AgentSequences seqs = new AgentSequences(2);
        var a = com.google.protobuf.ByteString.copyFrom(new byte[] {10, 0, 0, 1});
        assertThat(seqs.observe(a, 0, 0xFFFF_FFFEL).lost()).isZero();
        assertThat(seqs.observe(a, 1, 5).lost()).isZero();
        assertThat(seqs.observe(a, 0, 1).lost()).isEqualTo(2); // FFFFFFFF and 0 lost across the wrap
        assertThat(seqs.observe(a, 1, 6).lost()).isZero();
        var b = com.google.protobuf.ByteString.copyFrom(new byte[] {10, 0, 0, 2});
        assertThat(seqs.observe(b, 0, 1).untracked()).isTrue();
        assertThat(seqs.size()).isEqualTo(2);
    }

    @Test
    void passesAMalformedDatagramOnAsAFailure() {
        byte[] bytes = mixed(1);
        DecodeResult<List<TelemetryEvent>> r = decoder.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3),
                context(false));
        assertThat(r).isInstanceOf(DecodeResult.Failed.class);
    }
}
