package io.nocturne.ingest.syslog;

import com.google.protobuf.ByteString;
import io.nocturne.common.kafka.Topic;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.util.List;

/** RFC 5426 syslog over UDP: one message per datagram. */
public final class SyslogDatagramDecoder implements DatagramDecoder {

    private final SyslogDecoder decoder;
    private final Topic topic;
    private final ExporterTimeZones zones;
    private final SyslogParseMetrics metrics;

    public SyslogDatagramDecoder(SyslogDecoder decoder, Topic topic) {
        this(decoder, topic, null);
    }

    /** @param zones per-exporter zones for offset-less timestamps; null: the decoder's zone */
    public SyslogDatagramDecoder(SyslogDecoder decoder, Topic topic, ExporterTimeZones zones) {
        this(decoder, topic, zones, null);
    }

    /** @param metrics what the parser made of each message, per listener; null: not counted */
    public SyslogDatagramDecoder(SyslogDecoder decoder, Topic topic, ExporterTimeZones zones,
                                 SyslogParseMetrics metrics) {
        this.metrics = metrics;
        this.decoder = decoder;
        this.topic = topic;
        this.zones = zones == null || zones.isEmpty() ? null : zones;
    }

    @Override
    public String protocol() {
        return "syslog";
    }

    @Override
    public Topic topic() {
        return topic;
    }

    @Override
    public DecodeResult<List<TelemetryEvent>> decode(byte[] datagram, ReceiveContext context) {
        DecodeResult<SyslogMessage> result = zones == null ? decoder.decode(datagram)
                : decoder.decode(datagram, 0, datagram.length, zones.overrideOf(
                        context.exporter() == null ? null : context.exporter().getAddress()));
        if (result instanceof DecodeResult.Decoded<SyslogMessage> d) {
            if (metrics != null) {
                metrics.count(d.value());
            }
            return DecodeResult.decoded(List.of(toEvent(d.value(), datagram, context)));
        }
        DecodeResult.Failed<SyslogMessage> f = (DecodeResult.Failed<SyslogMessage>) result;
        return DecodeResult.failed(f.reason(), f.detail());
    }

    static TelemetryEvent toEvent(SyslogMessage message, byte[] raw, ReceiveContext context) {
        // The device is who the message says it is (HOSTNAME), else the socket that sent it.
        String host = message.getHostname();
        DeviceIdentity device = host.isEmpty() ? context.exporterDevice() : context.namedDevice(host);
        TelemetryEvent.Builder event = context.newEvent()
                .setDevice(device)
                .setSyslog(message);
        if (context.keepRaw()) {
            event.setRaw(ByteString.copyFrom(raw));
        }
        return event.build();
    }
}
