package io.nocturne.ingest.listener;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nocturne.common.event.EventIds;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.ingest.publish.TelemetryPublisher;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP data path of one listener: datagram → decoder → publisher, or → dead letter with
 * the raw bytes and a reason. Stateless apart from its meters, so one instance serves all
 * of the listener's sockets. Nothing thrown by a decoder reaches Netty: a bug in a decoder
 * costs one dead letter, never the listener.
 */
@ChannelHandler.Sharable
public final class DatagramIngestHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramIngestHandler.class);

    private final String listener;
    private final DatagramDecoder decoder;
    private final TelemetryPublisher publisher;
    private final ListenerMetrics metrics;
    private final int maxMessageBytes;
    private final boolean keepRaw;
    private final Clock clock;
    private final RateLimitedLog badInputLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final RateLimitedLog shedLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    public DatagramIngestHandler(String listener, DatagramDecoder decoder, TelemetryPublisher publisher,
                                 ListenerMetrics metrics, int maxMessageBytes, boolean keepRaw, Clock clock) {
        super(true);
        this.listener = listener;
        this.decoder = decoder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxMessageBytes = maxMessageBytes;
        this.keepRaw = keepRaw;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        Instant now = clock.instant();
        long receiveNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        ByteBuf content = packet.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        metrics.packetsReceived.increment();
        metrics.bytesReceived.increment(bytes.length);
        ReceiveContext rc = new ReceiveContext(listener, Transport.TRANSPORT_UDP, packet.sender(), packet.recipient(),
                receiveNanos, keepRaw);
        handle(bytes, rc);
    }

    /** The socket-free part, shared with tests and benchmarks. */
    void handle(byte[] bytes, ReceiveContext rc) {
        if (bytes.length > maxMessageBytes) {
            reject(bytes, rc, DeadLetter.Reason.REASON_OVERSIZED,
                    bytes.length + " bytes, more than max-message-bytes " + maxMessageBytes);
            return;
        }
        DecodeResult<List<TelemetryEvent>> result;
        try {
            result = decoder.decode(bytes, rc);
        } catch (RuntimeException bug) {
            LOG.error("{} decoder failed on a {}-byte datagram from {}; kept as a dead letter",
                    decoder.protocol(), bytes.length, rc.exporterAddress(), bug);
            result = DecodeResult.failed(DeadLetter.Reason.REASON_MALFORMED,
                    "decoder error: " + bug.getClass().getSimpleName() + ": " + bug.getMessage());
        }
        if (result instanceof DecodeResult.Decoded<List<TelemetryEvent>> decoded) {
            for (TelemetryEvent event : decoded.value()) {
                metrics.eventsDecoded.increment();
                if (!publisher.publish(decoder.topic(), event)) {
                    metrics.eventsShed.increment();
                    shedLog.warn("listener {}: Kafka cannot take events, shedding", listener);
                }
            }
        } else {
            DecodeResult.Failed<List<TelemetryEvent>> failed = (DecodeResult.Failed<List<TelemetryEvent>>) result;
            reject(bytes, rc, failed.reason(), failed.detail());
        }
    }

    private void reject(byte[] bytes, ReceiveContext rc, DeadLetter.Reason reason, String detail) {
        metrics.decodeFailed(reason);
        badInputLog.warn("listener {}: {}-byte datagram from {} is a dead letter ({}): {}",
                listener, bytes.length, rc.exporterAddress(), ListenerMetrics.label(reason), detail);
        DeadLetter letter = DeadLetter.newBuilder()
                .setEventId(EventIds.newId(rc.receiveUnixNanos() / 1_000_000L))
                .setExporter(ReceiveContext.endpoint(rc.exporter()))
                .setListener(listener)
                .setTransport(rc.transport())
                .setReceiveTimeUnixNanos(rc.receiveUnixNanos())
                .setReason(reason)
                .setDetail(detail)
                .setProtocol(decoder.protocol())
                .setRaw(ByteString.copyFrom(bytes))
                .setRawLength(bytes.length)
                .build();
        if (!publisher.deadLetter(letter)) {
            metrics.deadLettersShed.increment();
            shedLog.warn("listener {}: Kafka cannot take dead letters, shedding", listener);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP-reported) must not close the channel: log and go on.
        badInputLog.warn("listener {}: socket error: {}", listener, cause.toString());
    }
}
