package io.nocturne.bench.harness;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Sends messages from many exporters: exporter {@code i} is the loopback address
 * {@code 127.0.x.y} ({@link #exporterAddress}), so ingest sees as many devices as asked.
 * One socket (or connection) per exporter.
 */
public abstract class Sender implements AutoCloseable {

    /** Exporter {@code i} (0-based) → 127.0.(1 + i / 250).(1 + i % 250): never 127.0.0.1. */
    public static InetAddress exporterAddress(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + i / 250), (byte) (1 + i % 250)});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(int exporter, byte[] message) throws IOException {
        send(exporter, message, 0, message.length);
    }

    /** Sends {@code message[off, off + len)} as one message (the bytes are copied before it returns). */
    public abstract void send(int exporter, byte[] message, int off, int len) throws IOException;

    /** Pushes out anything buffered. */
    public void flush() throws IOException {
    }

    /** Pushes out what one exporter has buffered (paced runs do this per message). */
    public void flush(int exporter) throws IOException {
    }

    @Override
    public abstract void close() throws IOException;

    public static Sender open(Transport transport, InetSocketAddress target, int exporters) throws IOException {
        return switch (transport) {
            case UDP -> new Udp(target, exporters);
            case TCP_OCTET, TCP_LF, TLS -> new Stream(transport, target, exporters);
        };
    }

    /**
     * One connected datagram socket per exporter; each message is written from one reused
     * direct buffer (a connected {@code write} skips the per-send address checks and the
     * copy into a temporary direct buffer of {@code send(ByteBuffer, SocketAddress)}).
     */
    static final class Udp extends Sender {
        private final DatagramChannel[] channels;
        private final ByteBuffer out = ByteBuffer.allocateDirect(65_536);
        private final ByteBuffer in = ByteBuffer.allocate(65_536);
        private java.nio.channels.Selector selector;

        /**
         * Reads what the listener answers (SNMP INFORM Response-PDUs) on the exporters' own
         * sockets: they become non-blocking, a full send buffer is retried, and
         * {@link #pollResponses} hands over every datagram that arrived.
         */
        void enableResponses() throws IOException {
            selector = java.nio.channels.Selector.open();
            for (DatagramChannel c : channels) {
                c.configureBlocking(false);
                c.register(selector, java.nio.channels.SelectionKey.OP_READ);
            }
        }

        /** Every datagram received since the last call, as (bytes, length); returns how many. */
        int pollResponses(java.util.function.ObjIntConsumer<byte[]> handler) throws IOException {
            if (selector == null || selector.selectNow() == 0) {
                return 0;
            }
            int n = 0;
            var keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                DatagramChannel c = (DatagramChannel) keys.next().channel();
                keys.remove();
                while (true) {
                    in.clear();
                    int read;
                    try {
                        read = c.read(in);
                    } catch (java.net.PortUnreachableException e) {
                        continue;
                    }
                    if (read <= 0) {
                        break;
                    }
                    handler.accept(in.array(), read);
                    n++;
                }
            }
            return n;
        }

        Udp(InetSocketAddress target, int exporters) throws IOException {
            this.channels = new DatagramChannel[exporters];
            for (int i = 0; i < exporters; i++) {
                channels[i] = DatagramChannel.open(StandardProtocolFamily.INET);
                channels[i].setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
                channels[i].bind(new InetSocketAddress(exporterAddress(i), 0));
                channels[i].connect(target);
            }
        }

        @Override
        public void send(int exporter, byte[] message, int off, int len) throws IOException {
            out.clear();
            out.put(message, off, len).flip();
            try {
                while (channels[exporter].write(out) == 0 && selector != null) {
                    Thread.onSpinWait(); // non-blocking (responses enabled) and the buffer is full
                }
            } catch (java.net.PortUnreachableException e) {
                // ICMP from an earlier datagram (nothing listened for a moment): the
                // unconnected send ignored these too; the message counts as sent and lost.
            }
        }

        @Override
        public void close() throws IOException {
            for (DatagramChannel c : channels) {
                c.close();
            }
        }
    }

    static final class Stream extends Sender {
        private final Transport transport;
        private final Socket[] sockets;
        private final OutputStream[] outs;

        Stream(Transport transport, InetSocketAddress target, int exporters) throws IOException {
            this.transport = transport;
            this.sockets = new Socket[exporters];
            this.outs = new OutputStream[exporters];
            for (int i = 0; i < exporters; i++) {
                Socket s = transport == Transport.TLS ? tlsSocket() : new Socket();
                s.bind(new InetSocketAddress(exporterAddress(i), 0));
                s.connect(target, 5_000);
                s.setTcpNoDelay(false);
                if (s instanceof SSLSocket ssl) {
                    ssl.startHandshake();
                }
                sockets[i] = s;
                outs[i] = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            }
        }

        /** The harness measures, it does not authenticate: it accepts the listener's certificate. */
        private static Socket tlsSocket() throws IOException {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }}, new SecureRandom());
                return ctx.getSocketFactory().createSocket();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
        }

        private final byte[] lengthPrefix = new byte[12];

        @Override
        public void send(int exporter, byte[] message, int off, int len) throws IOException {
            OutputStream out = outs[exporter];
            if (transport == Transport.TCP_LF) {
                out.write(message, off, len);
                out.write('\n');
            } else {
                // "LEN SP" without building a string per message
                int i = lengthPrefix.length;
                lengthPrefix[--i] = ' ';
                int v = len;
                do {
                    lengthPrefix[--i] = (byte) ('0' + v % 10);
                    v /= 10;
                } while (v > 0);
                out.write(lengthPrefix, i, lengthPrefix.length - i);
                out.write(message, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            for (OutputStream o : outs) {
                o.flush();
            }
        }

        @Override
        public void flush(int exporter) throws IOException {
            outs[exporter].flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
