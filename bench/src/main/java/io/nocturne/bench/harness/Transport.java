package io.nocturne.bench.harness;

/** How the harness sends syslog. */
public enum Transport {
    /** One datagram per message (RFC 5426). */
    UDP,
    /** TCP, RFC 6587 §3.4.1 octet counting: "LEN SP MSG". */
    TCP_OCTET,
    /** TCP, RFC 6587 §3.4.2 non-transparent framing: MSG LF. */
    TCP_LF,
    /** TLS (RFC 5425), octet counting. */
    TLS
}
