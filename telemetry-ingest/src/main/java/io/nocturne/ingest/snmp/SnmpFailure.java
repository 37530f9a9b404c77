package io.nocturne.ingest.snmp;

import io.nocturne.telemetry.v1.DeadLetter;
import java.util.Locale;

/**
 * Why a datagram on an SNMP listener produced no trap. The label is the {@code reason} of
 * {@code nocturne_ingest_snmp_rejected_total}. Only {@link #deadLetter() some} go to the
 * dead-letter topic: security rejections are counted and logged, not stored, so a stranger
 * with the wrong credentials cannot fill Kafka.
 */
public enum SnmpFailure {
    /** Not BER, truncated, a length beyond the datagram, or an SNMP grammar violation. */
    BAD_BER(DeadLetter.Reason.REASON_MALFORMED),
    /** An SNMP version other than 1, 2c, 3. */
    UNSUPPORTED_VERSION(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT),
    /** A well-formed SNMP message that is not a notification (Get, Set, Response…). */
    NOT_A_NOTIFICATION(DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT),
    /** v1/v2c: the community is not in the allow-list. */
    UNKNOWN_COMMUNITY(null),
    /** v3: no such USM user (RFC 3414 usmStatsUnknownUserNames). */
    UNKNOWN_USER(null),
    /** v3: the user exists, but not for this engine ID (or an INFORM not sent to ours). */
    UNKNOWN_ENGINE_ID(null),
    /** v3: the HMAC does not match (usmStatsWrongDigests): wrong auth passphrase or protocol. */
    WRONG_DIGEST(null),
    /** v3: the scoped PDU does not decrypt (usmStatsDecryptionErrors): wrong priv passphrase or protocol. */
    DECRYPTION_FAILURE(null),
    /** v3: boots/time outside the 150 s window (usmStatsNotInTimeWindows, RFC 3414 §3.2.7). */
    NOT_IN_TIME_WINDOW(null),
    /** v3: sent at a lower security level than the user is configured for, or one it cannot do. */
    UNSUPPORTED_SECURITY_LEVEL(null),
    /** v3: a second INFORM with the msgID of one still waiting for Kafka (RFC 3412 §7.2.13). */
    DUPLICATE_MESSAGE_ID(null),
    /** Anything else SNMP4J refused (unsupported security model…). */
    OTHER(null);

    private final DeadLetter.Reason deadLetter;

    SnmpFailure(DeadLetter.Reason deadLetter) {
        this.deadLetter = deadLetter;
    }

    /** The dead-letter reason, or null when the datagram is only counted and logged. */
    public DeadLetter.Reason deadLetter() {
        return deadLetter;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
