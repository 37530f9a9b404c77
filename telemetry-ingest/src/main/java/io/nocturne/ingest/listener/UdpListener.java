package io.nocturne.ingest.listener;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound UDP port. On Linux (native epoll) it binds {@code sockets} channels to the same
 * port with SO_REUSEPORT, so the kernel spreads datagrams over as many threads; elsewhere one
 * NIO channel. Every channel takes datagrams up to 65,535 bytes (the IPv4/IPv6 maximum) so a
 * large datagram is never silently cut: the handler decides what is too large.
 */
public final class UdpListener implements Listener {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    /** The largest UDP payload plus one, so a full-size datagram fits whole. */
    static final int RECEIVE_BUFFER_PER_READ = 65_536;

    /**
     * Receive buffers for every UDP listener: a recvmmsg read takes one buffer of
     * {@code datagramsPerRead} slots (32 × 64 KiB = 2 MiB for flow and trap listeners), which
     * Netty's default allocator does not pool at that size: each read then allocated and
     * zeroed 2 MiB of fresh direct memory, ~30 µs a datagram at trap rates. Pooled here, in
     * chunks of 16 MiB (page 8 KiB, order 11): a 2 MiB read is 1/8 of a chunk, so the chunk
     * stays in the pool's first usage list, which never frees it (with 8 MiB chunks a read
     * moved its chunk to a list that frees chunks once empty: one new chunk per read).
     */
    private static final io.netty.buffer.PooledByteBufAllocator RECEIVE_ALLOCATOR =
            new io.netty.buffer.PooledByteBufAllocator(true, 0,
                    Math.max(1, Runtime.getRuntime().availableProcessors()), 8192, 11, 0, 0, true);

    private final String name;
    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final InetSocketAddress localAddress;
    private final boolean nativeTransport;

    private UdpListener(String name, EventLoopGroup group, List<Channel> channels, boolean nativeTransport) {
        this.name = name;
        this.group = group;
        this.channels = channels;
        this.localAddress = (InetSocketAddress) channels.get(0).localAddress();
        this.nativeTransport = nativeTransport;
    }

    /**
     * Binds {@code host:port} ({@code port} 0: any free port, shared by all sockets).
     *
     * @param sockets number of SO_REUSEPORT sockets; 0 = one per core (epoll only, else 1)
     */
    public static UdpListener bind(String name, String host, int port, int sockets, int receiveBufferBytes,
                                   ChannelHandler handler) throws InterruptedException {
        return bind(name, host, port, sockets, receiveBufferBytes, 1, RECEIVE_BUFFER_PER_READ - 1, handler);
    }

    /**
     * The per-datagram receive slot {@link #bind(String, String, int, int, int, int, int, ChannelHandler)}
     * uses (0: whole datagrams, no slots), for {@link DatagramIngestHandler} to tell a cut datagram.
     */
    public static int slotBytes(int datagramsPerRead, int maxMessageBytes) {
        return Epoll.isAvailable() && datagramsPerRead > 1 ? Math.min(RECEIVE_BUFFER_PER_READ, maxMessageBytes + 1) : 0;
    }

    /**
     * @param datagramsPerRead datagrams per recvmmsg call (epoll); 1 = a recvmsg per datagram
     * @param maxMessageBytes  the listener's max-message-bytes: with several datagrams per read
     *                         each gets a slot one byte larger, so a longer datagram arrives
     *                         cut at {@code maxMessageBytes + 1} and is still seen as oversized
     */
    public static UdpListener bind(String name, String host, int port, int sockets, int receiveBufferBytes,
                                   int datagramsPerRead, int maxMessageBytes, ChannelHandler handler)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        int n = epoll ? (sockets > 0 ? sockets : Runtime.getRuntime().availableProcessors()) : 1;
        IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("udp-" + name, true), ioFactory);
        // recvmmsg: one system call fills up to datagramsPerRead slots of one buffer.
        boolean batched = epoll && datagramsPerRead > 1;
        int slot = Math.min(RECEIVE_BUFFER_PER_READ, maxMessageBytes + 1);
        int perRead = batched ? slot * datagramsPerRead : RECEIVE_BUFFER_PER_READ;
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, receiveBufferBytes)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(perRead))
                .option(ChannelOption.ALLOCATOR, RECEIVE_ALLOCATOR)
                .handler(handler);
        if (epoll) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        if (batched) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
        }
        List<Channel> channels = new ArrayList<>(n);
        try {
            int boundPort = port;
            for (int i = 0; i < n; i++) {
                Channel ch = bootstrap.bind(host, boundPort).sync().channel();
                channels.add(ch);
                boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
            }
        } catch (InterruptedException | RuntimeException e) {
            channels.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        UdpListener listener = new UdpListener(name, group, List.copyOf(channels), epoll);
        Integer actualRcvbuf = channels.get(0).config().getOption(ChannelOption.SO_RCVBUF);
        LOG.info("listener {} bound udp {} ({} socket(s), {}, {}, SO_RCVBUF {} bytes{})", name, listener.localAddress,
                n, epoll ? "epoll SO_REUSEPORT" : "nio",
                batched ? "up to " + datagramsPerRead + " datagrams per recvmmsg" : "one datagram per read", actualRcvbuf,
                actualRcvbuf != null && actualRcvbuf < receiveBufferBytes
                        ? "; asked for " + receiveBufferBytes + ": raise net.core.rmem_max" : "");
        return listener;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String transport() {
        return "udp";
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public boolean nativeTransport() {
        return nativeTransport;
    }

    @Override
    public boolean isOpen() {
        return channels.stream().allMatch(Channel::isActive);
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("listener {} closed", name);
    }
}
