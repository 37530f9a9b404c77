package io.nocturne.ingest.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.telemetry.v1.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of a listener: each datagram is one message for {@link MessageIngest}.
 * Stateless, so one instance serves all of the listener's SO_REUSEPORT sockets.
 */
@ChannelHandler.Sharable
public final class DatagramIngestHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramIngestHandler.class);

    private final MessageIngest ingest;
    private final boolean keepRaw;
    private final Clock clock;
    private final RateLimitedLog socketErrorLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    public DatagramIngestHandler(MessageIngest ingest, boolean keepRaw, Clock clock) {
        super(true);
        this.ingest = ingest;
        this.keepRaw = keepRaw;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        if (!ingest.admits(packet.sender())) {
            return;
        }
        Instant now = clock.instant();
        long receiveNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        ByteBuf content = packet.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        ingest.metrics().packetsReceived.increment();
        ingest.metrics().bytesReceived.increment(bytes.length);
        ingest.accept(bytes, new ReceiveContext(ingest.listener(), Transport.TRANSPORT_UDP, packet.sender(),
                packet.recipient(), receiveNanos, keepRaw));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP-reported) must not close the channel: log and go on.
        socketErrorLog.warn("listener {}: socket error: {}", ingest.listener(), cause.toString());
    }
}
