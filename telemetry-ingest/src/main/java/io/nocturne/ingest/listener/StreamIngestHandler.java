package io.nocturne.ingest.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.ingest.syslog.SyslogFrameDecoder;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream side of a listener (one instance per TCP/TLS connection): each frame is one
 * message for {@link MessageIngest}; an oversized frame's head becomes a dead letter. While
 * the publisher is saturated the connection stops reading (autoRead off), so TCP pushes
 * back to the sender instead of anything being dropped, and resumes when Kafka catches up.
 */
public final class StreamIngestHandler extends SimpleChannelInboundHandler<SyslogFrameDecoder.Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamIngestHandler.class);
    private static final RateLimitedLog IDLE_LOG = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    private final MessageIngest ingest;
    private final Transport transport;
    private final boolean keepRaw;
    private final Clock clock;
    private final int maxFrameBytes;
    private boolean paused;
    /** This connection's two sockets in envelope form, worked out at the first frame. */
    private ReceiveContext.Sockets sockets;

    public StreamIngestHandler(MessageIngest ingest, Transport transport, boolean keepRaw, Clock clock,
                               int maxFrameBytes) {
        this.ingest = ingest;
        this.transport = transport;
        this.keepRaw = keepRaw;
        this.clock = clock;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SyslogFrameDecoder.Frame frame) {
        Instant now = clock.instant();
        long receiveNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        if (sockets == null) {
            Channel ch = ctx.channel();
            sockets = new ReceiveContext.Sockets((InetSocketAddress) ch.remoteAddress(), (InetSocketAddress) ch.localAddress());
        }
        ReceiveContext rc = new ReceiveContext(ingest.listener(), transport, sockets, receiveNanos, keepRaw);
        ingest.metrics().packetsReceived.increment();
        ingest.metrics().bytesReceived.increment(frame.bytes().length);
        if (frame.oversized()) {
            ingest.reject(frame.bytes(), frame.declaredLength() < 0 ? frame.bytes().length + 1L : frame.declaredLength(),
                    rc, DeadLetter.Reason.REASON_OVERSIZED, (frame.declaredLength() < 0 ? "unterminated frame longer than "
                            : frame.declaredLength() + "-byte frame, more than ") + maxFrameBytes
                            + " (max-message-bytes); the head is kept, the rest skipped");
        } else {
            ingest.accept(frame.bytes(), rc);
        }
    }

    /**
     * Back-pressure, checked once per socket read (which may carry hundreds of frames) rather
     * than per frame: reading the publisher's in-flight count touches counters other cores
     * write, and stopping after the read that crossed the limit is as good as within it.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (!paused && ingest.publisher().saturated()) {
            paused = true;
            ch.config().setAutoRead(false);
            ingest.metrics().backpressurePauses.increment();
            ingest.publisher().whenDrained(() -> ch.eventLoop().execute(() -> {
                paused = false;
                ch.config().setAutoRead(true);
            }));
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ingest.metrics().connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ingest.metrics().connectionClosed();
        ingest.sessionClosed(sockets);
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            IDLE_LOG.warn("listener {}: closing idle connection from {}", ingest.listener(), ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection reset and the like: the sender's problem, not the listener's.
        LOG.debug("listener {}: connection from {} failed: {}", ingest.listener(), ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
