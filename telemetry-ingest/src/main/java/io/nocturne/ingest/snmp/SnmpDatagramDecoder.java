package io.nocturne.ingest.snmp;

import com.google.protobuf.ByteString;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.ingest.publish.TelemetryPublisher;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SNMP trap listener's decoder: one datagram → at most one trap event for
 * {@code nocturne.traps}. Bad BER becomes a dead letter; security rejections (unknown
 * community or user, wrong digest…) are counted and logged at a bounded rate, not stored;
 * an INFORM is answered once Kafka has its event ({@link #onStored}).
 */
public final class SnmpDatagramDecoder implements DatagramDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(SnmpDatagramDecoder.class);

    private final SnmpMessageDecoder decoder;
    private final Topic topic;
    private final SnmpMetrics metrics;
    private final SnmpReplies replies;
    private final String listener;
    /** INFORMs decoded and not yet handed to the publisher: at most one per receiving thread. */
    private final Map<String, PendingInform> pending = new ConcurrentHashMap<>();
    private final RateLimitedLog rejectedLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    public SnmpDatagramDecoder(String listener, SnmpMessageDecoder decoder, Topic topic, SnmpMetrics metrics,
                               SnmpReplies replies) {
        this.listener = listener;
        this.decoder = decoder;
        this.topic = topic;
        this.metrics = metrics;
        this.replies = replies;
    }

    @Override
    public String protocol() {
        return "snmp";
    }

    @Override
    public Topic topic() {
        return topic;
    }

    @Override
    public DecodeResult<List<TelemetryEvent>> decode(byte[] datagram, ReceiveContext context) {
        SnmpMessageDecoder.Outcome outcome = decoder.decode(datagram, context.exporter(), replies);
        if (outcome instanceof SnmpMessageDecoder.Notification n) {
            metrics.received(n.trap());
            DeviceIdentity identity;
            if (n.originAddress() == null && n.deviceEngineId().length == 0) {
                identity = context.exporterDevice(); // the common case: shared per sender
            } else {
                String device = n.originAddress() != null ? n.originAddress() : context.exporterAddress();
                DeviceIdentity.Builder b = DeviceIdentity.newBuilder().setName(device).setAddress(device);
                if (n.deviceEngineId().length > 0) {
                    b.setSnmpEngineId(ByteString.copyFrom(n.deviceEngineId()));
                }
                identity = b.build();
            }
            TelemetryEvent.Builder event = context.newEvent().setDevice(identity).setTrap(n.trap());
            if (context.keepRaw()) {
                event.setRaw(ByteString.copyFrom(datagram));
            }
            TelemetryEvent built = event.build();
            if (n.inform() != null) {
                pending.put(built.getEventId(), n.inform());
            }
            return DecodeResult.decoded(List.of(built));
        }
        if (outcome instanceof SnmpMessageDecoder.Discovery d) {
            metrics.discovery(d.reportSent());
            return DecodeResult.decoded(List.of());
        }
        SnmpMessageDecoder.Rejected r = (SnmpMessageDecoder.Rejected) outcome;
        metrics.rejected(r.failure(), r.reportSent());
        if (r.failure().deadLetter() != null) {
            // MessageIngest dead-letters it with the raw bytes and logs it (bounded).
            return DecodeResult.failed(r.failure().deadLetter(), r.failure().label() + ": " + r.detail());
        }
        rejectedLog.warn("listener {}: SNMP message from {} rejected ({}): {}", listener,
                context.exporterAddress(), r.failure().label(), r.detail());
        return DecodeResult.decoded(List.of());
    }

    @Override
    public TelemetryPublisher.Completion onStored(TelemetryEvent event) {
        PendingInform inform = pending.remove(event.getEventId());
        if (inform == null) {
            return null;
        }
        return stored -> {
            if (stored && inform.acknowledge()) {
                metrics.informResponses.increment();
            } else {
                inform.abandon();
                metrics.informsUnanswered.increment();
            }
        };
    }
}
