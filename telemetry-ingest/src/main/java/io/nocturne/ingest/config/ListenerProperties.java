package io.nocturne.ingest.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/**
 * {@code nocturne.ingest.listeners.<name>.*}: one socket ingest listens on. The name is the
 * {@code listener} label on metrics and the {@code listener} field of every event.
 */
@EachProperty("nocturne.ingest.listeners")
public class ListenerProperties {

    private final String name;
    /** Whether to start this listener. */
    private boolean enabled = true;
    /** What the listener speaks: {@code syslog} or {@code snmp} (traps and INFORMs, UDP only). */
    private String protocol = "syslog";
    /**
     * {@code udp}, {@code tcp} (RFC 6587: octet counting or LF framing, detected per message)
     * or {@code tls} (RFC 5425: the same over TLS; needs tls-cert-file and tls-key-file).
     */
    private String transport = "udp";
    /** Local address to bind. */
    private String bindAddress = "0.0.0.0";
    /** Port to bind (devices send syslog to 514: redirect it, see the README). */
    private int port = 1514;
    /**
     * UDP: sockets bound to the port with SO_REUSEPORT (epoll only), each with its own
     * thread; 0 = one per core.
     */
    private int sockets = 0;
    /** UDP: SO_RCVBUF in bytes; the kernel caps it at net.core.rmem_max. */
    private int receiveBufferBytes = 8 * 1024 * 1024;
    /**
     * UDP (epoll): datagrams taken from the socket per system call (recvmmsg), each into a
     * slot of max-message-bytes + 1; 1 = one recvmsg per datagram, whole datagrams up to
     * 65,535 bytes. With slots, a datagram longer than max-message-bytes arrives cut at the
     * slot and is dead-lettered as oversized with its head (its full length is then unknown).
     */
    private int datagramsPerRead = 32;
    /**
     * Largest message decoded; larger ones go to the dead-letter topic as REASON_OVERSIZED
     * (UDP: the whole datagram; TCP: the frame's first max-message-bytes, the rest skipped).
     * RFC 5426 §3.2 asks receivers to take at least 2048 octets.
     */
    private int maxMessageBytes = 16 * 1024;
    /** Keep each event's raw bytes in {@code TelemetryEvent.raw} (forensics; costs space). */
    private boolean keepRaw = false;
    /** TCP: connections beyond this many are closed on accept. */
    private int maxConnections = 1000;
    /** TCP: a connection silent this long is closed; 0 = never. */
    private java.time.Duration idleTimeout = java.time.Duration.ofMinutes(10);
    /** TCP: worker threads; 0 = one per core. */
    private int threads = 0;
    /**
     * Source addresses accepted, as CIDR blocks ("10.0.0.0/8", "2001:db8::/32", a single
     * address); empty accepts all. Others are dropped (UDP) or disconnected (TCP), counted
     * and logged.
     */
    private java.util.List<String> allowedSources = new java.util.ArrayList<>();
    /** TLS (RFC 5425): the server certificate chain, PEM. */
    private String tlsCertFile;
    /** TLS: the server's private key, unencrypted PKCS#8 PEM. */
    private String tlsKeyFile;
    /** TLS: PEM bundle of the CAs that sign client certificates (for tls-client-auth). */
    private String tlsCaFile;
    /** TLS: none, optional or require (mutual TLS). */
    private String tlsClientAuth = "none";
    /** TLS: how often the PEM files are checked for changes (reloaded without a restart). */
    private java.time.Duration tlsReloadInterval = java.time.Duration.ofSeconds(30);

    public ListenerProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getSockets() {
        return sockets;
    }

    public void setSockets(int sockets) {
        this.sockets = sockets;
    }

    public int getDatagramsPerRead() {
        return datagramsPerRead;
    }

    public void setDatagramsPerRead(int datagramsPerRead) {
        this.datagramsPerRead = datagramsPerRead;
    }

    public int getReceiveBufferBytes() {
        return receiveBufferBytes;
    }

    public void setReceiveBufferBytes(int receiveBufferBytes) {
        this.receiveBufferBytes = receiveBufferBytes;
    }

    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public boolean isKeepRaw() {
        return keepRaw;
    }

    public void setKeepRaw(boolean keepRaw) {
        this.keepRaw = keepRaw;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public java.time.Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(java.time.Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public java.util.List<String> getAllowedSources() {
        return allowedSources;
    }

    public void setAllowedSources(java.util.List<String> allowedSources) {
        this.allowedSources = allowedSources;
    }

    public String getTlsCertFile() {
        return tlsCertFile;
    }

    public void setTlsCertFile(String tlsCertFile) {
        this.tlsCertFile = tlsCertFile;
    }

    public String getTlsKeyFile() {
        return tlsKeyFile;
    }

    public void setTlsKeyFile(String tlsKeyFile) {
        this.tlsKeyFile = tlsKeyFile;
    }

    public String getTlsCaFile() {
        return tlsCaFile;
    }

    public void setTlsCaFile(String tlsCaFile) {
        this.tlsCaFile = tlsCaFile;
    }

    public String getTlsClientAuth() {
        return tlsClientAuth;
    }

    public void setTlsClientAuth(String tlsClientAuth) {
        this.tlsClientAuth = tlsClientAuth;
    }

    public java.time.Duration getTlsReloadInterval() {
        return tlsReloadInterval;
    }

    public void setTlsReloadInterval(java.time.Duration tlsReloadInterval) {
        this.tlsReloadInterval = tlsReloadInterval;
    }
}
