package io.nocturne.ingest.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nocturne.common.log.RateLimitedLog;
import io.nocturne.ingest.syslog.SyslogFrameDecoder;
import io.nocturne.ingest.tls.ReloadingServerSslContext;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP syslog listener (RFC 6587), optionally over TLS (RFC 5425): one accept thread, worker threads for the connections
 * (epoll where available), per-connection framing detection ({@link SyslogFrameDecoder}),
 * idle timeout, a connection limit, and back-pressure to the senders while Kafka is behind.
 */
public final class TcpListener implements Listener {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);
    private static final RateLimitedLog LIMIT_LOG = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    private final String name;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final String transport;

    private TcpListener(String name, EventLoopGroup boss, EventLoopGroup workers, Channel server, String transport) {
        this.transport = transport;
        this.name = name;
        this.boss = boss;
        this.workers = workers;
        this.server = server;
    }

    /**
     * @param threads        worker threads; 0 = one per core
     * @param maxConnections connections beyond this are closed on accept (counted, logged)
     * @param idleTimeout    a connection silent this long is closed; zero = never
     */
    public static TcpListener bind(String name, String host, int port, int threads, int maxConnections,
                                   Duration idleTimeout, int maxFrameBytes, boolean keepRaw, MessageIngest ingest,
                                   Clock clock) throws InterruptedException {
        return bind(name, host, port, threads, maxConnections, idleTimeout, maxFrameBytes, keepRaw, ingest, clock,
                null, Duration.ZERO);
    }

    /**
     * @param tls            the TLS context for syslog over TLS (RFC 5425), null for plain TCP
     * @param reloadInterval how often the TLS files are checked for changes
     */
    public static TcpListener bind(String name, String host, int port, int threads, int maxConnections,
                                   Duration idleTimeout, int maxFrameBytes, boolean keepRaw, MessageIngest ingest,
                                   Clock clock, ReloadingServerSslContext tls, Duration reloadInterval)
            throws InterruptedException {
        Transport transport = tls == null ? Transport.TRANSPORT_TCP : Transport.TRANSPORT_TLS;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tcp-accept-" + name, true), io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("tcp-" + name, true), io);
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
                        if (ingest.metrics().openConnections() >= maxConnections) {
                            LIMIT_LOG.warn("listener {}: {} connections open (max-connections); refusing {}", name,
                                    maxConnections, ch.remoteAddress());
                            ingest.metrics().connectionsRefused.increment();
                            ch.close();
                            return;
                        }
                        if (tls != null) {
                            ch.pipeline().addLast(tls.current().newHandler(ch.alloc()), new TlsHandshakeWatch(ingest));
                        }
                        if (!idleTimeout.isZero()) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new SyslogFrameDecoder(maxFrameBytes),
                                new StreamIngestHandler(ingest, transport, keepRaw, clock, maxFrameBytes));
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
        if (tls != null && !reloadInterval.isZero()) {
            boss.scheduleAtFixedRate(tls::reloadIfChanged, reloadInterval.toMillis(), reloadInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("listener {} bound {} {} ({}, max {} connections, idle timeout {}{})", name, tls == null ? "tcp" : "tls",
                server.localAddress(), epoll ? "epoll" : "nio", maxConnections, idleTimeout.isZero() ? "none" : idleTimeout,
                tls == null ? "" : ", certificate " + tls.describe());
        return new TcpListener(name, boss, workers, server, tls == null ? "tcp" : "tls");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String transport() {
        return transport;
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
        // Stop accepting, then let open connections' decoded frames finish publishing.
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("listener {} closed", name);
    }
}
