package io.nocturne.ingest.flow.sflow;

import com.google.protobuf.ByteString;
import io.nocturne.common.kafka.Topic;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.InterfaceCounters;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * sFlow v5 over UDP: one event per flow sample (to the flows topic) and per counter sample
 * (to the counters topic). The device is the sFlow agent (its address in the datagram), which
 * may differ from the socket that sent it (relays, NAT, a management VRF).
 */
public final class SflowDatagramDecoder implements DatagramDecoder {

    /** Agents (agent address × sub-agent) tracked for sequence gaps. */
    static final int MAX_TRACKED_AGENTS = 10_000;

    private final SflowDecoder decoder = new SflowDecoder();
    private final Topic flows;
    private final Topic counters;
    private final SflowMetrics metrics;
    private final AgentSequences sequences = new AgentSequences(MAX_TRACKED_AGENTS);

    /** @param metrics per-listener sFlow meters; null: not counted */
    public SflowDatagramDecoder(Topic flows, Topic counters, SflowMetrics metrics) {
        this.flows = flows;
        this.counters = counters;
        this.metrics = metrics;
    }

    @Override
    public String protocol() {
        return "sflow";
    }

    @Override
    public Topic topic() {
        return flows;
    }

    @Override
    public Topic topicOf(TelemetryEvent event) {
        return event.getBodyCase() == TelemetryEvent.BodyCase.COUNTERS ? counters : flows;
    }

    @Override
    public DecodeResult<List<TelemetryEvent>> decode(byte[] datagram, ReceiveContext context) {
        DecodeResult<SflowDatagram> result = decoder.decode(datagram, context.receiveUnixNanos());
        if (!(result instanceof DecodeResult.Decoded<SflowDatagram> decoded)) {
            DecodeResult.Failed<SflowDatagram> f = (DecodeResult.Failed<SflowDatagram>) result;
            return DecodeResult.failed(f.reason(), f.detail());
        }
        SflowDatagram d = decoded.value();
        AgentSequences.Observation seen = sequences.observe(d.agentAddress(), d.subAgentId(), d.sequenceNumber());
        if (metrics != null) {
            metrics.count(d);
            metrics.sequence(seen);
        }
        String agent = text(d.agentAddress(), context.exporterAddress());
        DeviceIdentity device = DeviceIdentity.newBuilder().setName(agent).setAddress(agent).build();
        ByteString raw = context.keepRaw() ? ByteString.copyFrom(datagram) : null;
        List<TelemetryEvent> events = new ArrayList<>(d.flows().size() + d.counters().size());
        for (FlowRecord flow : d.flows()) {
            TelemetryEvent.Builder e = context.newEvent().setDevice(device).setFlow(flow);
            if (raw != null) {
                e.setRaw(raw);
            }
            events.add(e.build());
        }
        for (InterfaceCounters c : d.counters()) {
            TelemetryEvent.Builder e = context.newEvent().setDevice(device).setCounters(c);
            if (raw != null) {
                e.setRaw(raw);
            }
            events.add(e.build());
        }
        return DecodeResult.decoded(events);
    }

    /** The agent address as text (written as the envelope writes exporter addresses), else the exporter's. */
    static String text(ByteString address, String fallback) {
        if (address.size() != 4 && address.size() != 16) {
            return fallback;
        }
        try {
            return InetAddress.getByAddress(address.toByteArray()).getHostAddress();
        } catch (UnknownHostException impossible) {
            return fallback;
        }
    }
}
