package io.nocturne.ingest.snmp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramPacket;
import io.nocturne.common.log.RateLimitedLog;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Reports and INFORM Responses from the listener's own UDP socket(s), so they come
 * from the port the device sent to. All SO_REUSEPORT sockets of a listener share the port,
 * so any open one will do. {@link #wrap} installs it on every channel the listener binds.
 */
public final class ChannelReplies implements SnmpReplies {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelReplies.class);

    private final CopyOnWriteArrayList<Channel> channels = new CopyOnWriteArrayList<>();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    /** A channel handler that registers each channel here, then runs {@code ingest} on it. */
    public ChannelHandler wrap(ChannelHandler ingest) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                ch.closeFuture().addListener(f -> channels.remove(ch));
                ch.pipeline().addLast(ingest);
            }
        };
    }

    @Override
    public void send(InetSocketAddress to, byte[] message) {
        for (Channel ch : channels) {
            if (ch.isActive()) {
                ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), to)).addListener(f -> {
                    if (!f.isSuccess()) {
                        failureLog.warn("cannot send SNMP reply to {}: {}", to, f.cause().toString());
                    }
                });
                return;
            }
        }
        failureLog.warn("cannot send SNMP reply to {}: listener not open", to);
    }
}
