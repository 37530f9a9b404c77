package io.nocturne.ingest.flow.ipfix;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nocturne.ingest.listener.Listener;
import io.nocturne.ingest.listener.MessageIngest;
import io.nocturne.ingest.listener.StreamIngestHandler;
import io.nocturne.ingest.syslog.SyslogFrameDecoder;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPFIX over TCP (RFC 7011 §10.4): a stream of messages, each framed by its own header's
 * length field. Each message goes through the same ingest path as a UDP datagram (and the
 * same back-pressure as syslog over TCP: the connection stops reading while Kafka is
 * saturated). A stream that is not IPFIX cannot be resynchronised: what is left is
 * dead-lettered and the connection closed.
 */
public final class IpfixTcpListener implements Listener {

    private static final Logger LOG = LoggerFactory.getLogger(IpfixTcpListener.class);

    private final String name;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;

    private IpfixTcpListener(String name, EventLoopGroup boss, EventLoopGroup workers, Channel server) {
        this.name = name;
        this.boss = boss;
        this.workers = workers;
        this.server = server;
    }

    /** Splits the stream at IPFIX message boundaries (version 10, length at octets 2–3). */
    static final class MessageFramer extends ByteToMessageDecoder {

        private final int maxMessageBytes;

        MessageFramer(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= 4) {
                int version = in.getUnsignedShort(in.readerIndex());
                int length = in.getUnsignedShort(in.readerIndex() + 2);
                if (version != 10 || length < 16 || length > maxMessageBytes) {
                    byte[] rest = new byte[in.readableBytes()];
                    in.readBytes(rest);
                    out.add(new SyslogFrameDecoder.Frame(rest, length > maxMessageBytes && version == 10, length));
                    ctx.close();
                    return;
                }
                if (in.readableBytes() < length) {
                    return;
                }
                byte[] message = new byte[length];
                in.readBytes(message);
                out.add(new SyslogFrameDecoder.Frame(message, false, length));
            }
        }
    }

    public static IpfixTcpListener bind(String name, String host, int port, int threads, int maxConnections,
                                        Duration idleTimeout, int maxMessageBytes, boolean keepRaw,
                                        MessageIngest ingest, Clock clock) throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tcp-accept-" + name, true), io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads > 0 ? threads
                : Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("tcp-" + name, true), io);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!ingest.admits(ch.remoteAddress())) {
                            ch.close();
                            return;
                        }
                        if (open.incrementAndGet() > maxConnections) {
                            open.decrementAndGet();
                            LOG.warn("listener {}: {} connections open (max-connections); refusing {}", name,
                                    maxConnections, ch.remoteAddress());
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        if (!idleTimeout.isZero()) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(),
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new MessageFramer(maxMessageBytes),
                                new StreamIngestHandler(ingest, Transport.TRANSPORT_TCP, keepRaw, clock,
                                        maxMessageBytes));
                    }
                });
        Channel server;
        try {
            server = b.bind(host, port).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        LOG.info("listener {} bound ipfix/tcp {} ({}, max {} connections)", name, server.localAddress(),
                epoll ? "epoll" : "nio", maxConnections);
        return new IpfixTcpListener(name, boss, workers, server);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String transport() {
        return "tcp";
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public boolean isOpen() {
        return server.isActive();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("listener {} closed", name);
    }
}
