package io.nocturne.ingest.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.decode.ReceiveContext;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
    /**
     * Envelope forms of the sockets by sender, so the textual address and the endpoints are
     * built once per exporter, not per datagram. Bounded: cleared when it grows past
     * {@link #MAX_CACHED_SENDERS} (a scan from many sources costs only the rebuilds).
     */
    private final ConcurrentHashMap<InetSocketAddress, ReceiveContext.Sockets> socketsBySender = new ConcurrentHashMap<>();
    static final int MAX_CACHED_SENDERS = 16_384;

    /** Receive slot size with recvmmsg (a datagram this long was cut by the kernel), or 0. */
    private final int slotBytes;

    public DatagramIngestHandler(MessageIngest ingest, boolean keepRaw, Clock clock) {
        this(ingest, keepRaw, clock, 0);
    }

    /**
     * @param slotBytes the per-datagram receive slot when the listener reads several datagrams
     *                  per system call (max-message-bytes + 1), else 0: a datagram that fills
     *                  its slot was longer and is cut, so it is dead-lettered with its head
     */
    public DatagramIngestHandler(MessageIngest ingest, boolean keepRaw, Clock clock, int slotBytes) {
        super(true);
        this.ingest = ingest;
        this.keepRaw = keepRaw;
        this.clock = clock;
        this.slotBytes = slotBytes;
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
        ReceiveContext rc = new ReceiveContext(ingest.listener(), Transport.TRANSPORT_UDP,
                sockets(packet.sender(), packet.recipient()), receiveNanos, keepRaw);
        if (slotBytes > 0 && bytes.length >= slotBytes) {
            ingest.reject(bytes, bytes.length, rc, DeadLetter.Reason.REASON_OVERSIZED, "datagram of at least "
                    + bytes.length + " bytes, more than max-message-bytes " + (slotBytes - 1)
                    + "; its first " + bytes.length + " bytes are kept (full length unknown with datagrams-per-read > 1)");
            return;
        }
        ingest.accept(bytes, rc);
    }

    private ReceiveContext.Sockets sockets(InetSocketAddress sender, InetSocketAddress recipient) {
        if (sender == null) {
            return new ReceiveContext.Sockets(null, recipient);
        }
        ReceiveContext.Sockets s = socketsBySender.get(sender);
        if (s != null && Objects.equals(s.local(), recipient)) {
            return s;
        }
        s = new ReceiveContext.Sockets(sender, recipient);
        if (socketsBySender.size() >= MAX_CACHED_SENDERS) {
            socketsBySender.clear();
        }
        socketsBySender.put(sender, s);
        return s;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP-reported) must not close the channel: log and go on.
        socketErrorLog.warn("listener {}: socket error: {}", ingest.listener(), cause.toString());
    }
}
