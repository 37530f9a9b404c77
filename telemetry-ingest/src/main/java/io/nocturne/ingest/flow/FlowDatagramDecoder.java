package io.nocturne.ingest.flow;

import com.google.protobuf.ByteString;
import io.nocturne.common.kafka.Topic;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * A NetFlow/IPFIX listener's decoder: one export packet → one {@code nocturne.flows} event per
 * flow record. Template state lives in the shared {@link FlowPacketDecoder}.
 */
public final class FlowDatagramDecoder implements DatagramDecoder {

    private final FlowPacketDecoder decoder;
    private final Topic topic;

    public FlowDatagramDecoder(FlowPacketDecoder decoder, Topic topic) {
        this.decoder = decoder;
        this.topic = topic;
    }

    @Override
    public String protocol() {
        return "netflow";
    }

    @Override
    public Topic topic() {
        return topic;
    }

    @Override
    public DecodeResult<List<TelemetryEvent>> decode(byte[] datagram, ReceiveContext context) {
        String exporter = context.exporterAddress();
        // Over TCP the connection is the template session (RFC 7011 §8); datagrams have none.
        Object session = context.transport() == Transport.TRANSPORT_UDP ? null : context.sockets();
        DecodeResult<List<FlowRecord>> result = decoder.decode(datagram, exporter, context.receiveUnixNanos(), session);
        if (result instanceof DecodeResult.Decoded<List<FlowRecord>> d) {
            List<TelemetryEvent> events = new ArrayList<>(d.value().size());
            DeviceIdentity device = context.exporterDevice();
            for (FlowRecord r : d.value()) {
                TelemetryEvent.Builder e = context.newEvent().setDevice(device).setFlow(r);
                if (context.keepRaw()) {
                    e.setRaw(ByteString.copyFrom(datagram));
                }
                events.add(e.build());
            }
            return DecodeResult.decoded(events);
        }
        DecodeResult.Failed<List<FlowRecord>> f = (DecodeResult.Failed<List<FlowRecord>>) result;
        return DecodeResult.failed(f.reason(), f.detail());
    }

    @Override
    public void sessionClosed(ReceiveContext.Sockets session) {
        decoder.templates().sessionClosed(session);
    }
}
