package io.nocturne.ingest.listener;

import com.google.protobuf.ByteString;
import io.nocturne.common.event.EventIds;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.decode.DatagramDecoder;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.ingest.publish.TelemetryPublisher;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-free part of a listener: one message (a datagram or a stream frame) →
 * decoder → publisher, or → dead letter with the raw bytes and a reason. Counts everything;
 * logs bad input at a bounded rate; a decoder exception is a bug that costs one dead
 * letter, never the listener.
 */
public final class MessageIngest {

    private static final Logger LOG = LoggerFactory.getLogger(MessageIngest.class);

    private final String listener;
    private final DatagramDecoder decoder;
    private final TelemetryPublisher publisher;
    private final ListenerMetrics metrics;
    private final int maxMessageBytes;
    private final SourceAllowList allowedSources;
    private final RateLimitedLog sourceLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private final RateLimitedLog badInputLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private final RateLimitedLog shedLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    public MessageIngest(String listener, DatagramDecoder decoder, TelemetryPublisher publisher,
                         ListenerMetrics metrics, int maxMessageBytes) {
        this(listener, decoder, publisher, metrics, maxMessageBytes, SourceAllowList.ANY);
    }

    public MessageIngest(String listener, DatagramDecoder decoder, TelemetryPublisher publisher,
                         ListenerMetrics metrics, int maxMessageBytes, SourceAllowList allowedSources) {
        this.allowedSources = allowedSources;
        this.listener = listener;
        this.decoder = decoder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxMessageBytes = maxMessageBytes;
    }

    public String listener() {
        return listener;
    }

    public ListenerMetrics metrics() {
        return metrics;
    }

    public TelemetryPublisher publisher() {
        return publisher;
    }

    /**
     * Whether {@code source} may send to this listener; a refusal is counted and logged at a
     * bounded rate (not dead-lettered: a stranger must not be able to fill Kafka).
     */
    public boolean admits(java.net.InetSocketAddress source) {
        if (allowedSources.allowsAll() || allowedSources.allows(source == null ? null : source.getAddress())) {
            return true;
        }
        metrics.sourcesRejected.increment();
        sourceLog.warn("listener {}: {} is not in allowed-sources ({}); ignored", listener,
                source == null ? "unknown source" : ReceiveContext.address(source), allowedSources);
        return false;
    }

    /** A connection whose messages carried {@code session} has closed (see {@link DatagramDecoder#sessionClosed}). */
    public void sessionClosed(ReceiveContext.Sockets session) {
        if (session != null) {
            decoder.sessionClosed(session);
        }
    }

    /**
     * One message as received (counted as received by the caller), decoded and published
     * (or dead-lettered). {@code bytes} is handed over: the decoded events may keep views of
     * it ({@link DatagramDecoder#decode}), so the caller allocates it for this message and
     * never changes it afterwards.
     */
    public void accept(byte[] bytes, ReceiveContext rc) {
        if (bytes.length > maxMessageBytes) {
            reject(bytes, bytes.length, rc, DeadLetter.Reason.REASON_OVERSIZED,
                    bytes.length + " bytes, more than max-message-bytes " + maxMessageBytes);
            return;
        }
        DecodeResult<List<TelemetryEvent>> result;
        try {
            result = decoder.decode(bytes, rc);
        } catch (RuntimeException bug) {
            LOG.error("{} decoder failed on a {}-byte message from {}; kept as a dead letter",
                    decoder.protocol(), bytes.length, rc.exporterAddress(), bug);
            result = DecodeResult.failed(DeadLetter.Reason.REASON_MALFORMED,
                    "decoder error: " + bug.getClass().getSimpleName() + ": " + bug.getMessage());
        }
        if (result instanceof DecodeResult.Decoded<List<TelemetryEvent>> decoded) {
            for (TelemetryEvent event : decoded.value()) {
                metrics.eventsDecoded.increment();
                TelemetryPublisher.Completion onStored = decoder.onStored(event);
                io.nocturne.common.kafka.Topic topic = decoder.topicOf(event);
                if (!(onStored == null ? publisher.publish(topic, event)
                        : publisher.publish(topic, event, onStored))) {
                    metrics.eventsShed.increment();
                    shedLog.warn("listener {}: Kafka cannot take events, shedding", listener);
                }
            }
        } else {
            DecodeResult.Failed<List<TelemetryEvent>> failed = (DecodeResult.Failed<List<TelemetryEvent>>) result;
            reject(bytes, bytes.length, rc, failed.reason(), failed.detail());
        }
    }

    /**
     * A message that is a dead letter before any decoding (e.g. a stream frame cut at the
     * size limit): {@code head} is what was kept, {@code originalLength} what was sent.
     */
    public void reject(byte[] head, long originalLength, ReceiveContext rc, DeadLetter.Reason reason, String detail) {
        metrics.decodeFailed(reason);
        badInputLog.warn("listener {}: {}-byte message from {} is a dead letter ({}): {}",
                listener, originalLength, rc.exporterAddress(), ListenerMetrics.label(reason), detail);
        DeadLetter letter = DeadLetter.newBuilder()
                .setEventId(EventIds.newId(rc.receiveUnixNanos() / 1_000_000L))
                .setExporter(rc.exporterEndpoint())
                .setListener(listener)
                .setTransport(rc.transport())
                .setReceiveTimeUnixNanos(rc.receiveUnixNanos())
                .setReason(reason)
                .setDetail(detail)
                .setProtocol(decoder.protocol())
                .setRaw(ByteString.copyFrom(head))
                .setRawLength((int) Math.min(Integer.MAX_VALUE, originalLength))
                .build();
        if (!publisher.deadLetter(letter)) {
            metrics.deadLettersShed.increment();
            shedLog.warn("listener {}: Kafka cannot take dead letters, shedding", listener);
        }
    }
}
