package io.nocturne.ingest.listener;

import java.net.InetSocketAddress;

/** A bound listener socket (or sockets), whatever the transport. */
public interface Listener extends AutoCloseable {

    String name();

    /** "udp" or "tcp". */
    String transport();

    InetSocketAddress localAddress();

    boolean isOpen();

    @Override
    void close();
}
