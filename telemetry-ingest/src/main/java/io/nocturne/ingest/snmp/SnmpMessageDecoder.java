package io.nocturne.ingest.snmp;

import com.google.protobuf.ByteString;
import io.nocturne.telemetry.v1.SnmpTrap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MutablePDU;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MPv3ScopedPDUExtractor;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.MutableStateReference;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StateReference;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;

/**
 * One SNMP datagram → a notification, or the reason there is none. SNMP4J does the BER and
 * the security (RFC 3412 message processing, RFC 3414 USM) on the bytes it is handed; it owns
 * no socket and no thread here: its Reports and our INFORM Responses go out through
 * {@link SnmpReplies}. Never throws on any input.
 *
 * <p>Nocturne is the authoritative engine for INFORMs (RFC 3412 §4: the receiver of a
 * confirmed-class PDU), so it answers engine ID discovery and time synchronisation with
 * Reports; for traps the sender is authoritative and a user is localized to each configured
 * sender engine ID (RFC 3414 §2.6).
 */
public final class SnmpMessageDecoder {

    /** What a datagram turned out to be. */
    public sealed interface Outcome {
    }

    /**
     * A trap or INFORM.
     *
     * @param trap          the normalized notification
     * @param originAddress the device the trap is about: snmpTrapAddress.0 (RFC 3584) or the
     *                      v1 agent-addr when present, else null (the UDP source)
     * @param deviceEngineId the sending device's engine ID (v3), else empty
     * @param inform        for an INFORM, what answers it once it is stored; else null
     */
    public record Notification(SnmpTrap trap, String originAddress, byte[] deviceEngineId, PendingInform inform)
            implements Outcome {
    }

    /** No trap, and why; {@code reportSent}: the sender was told with a Report-PDU. */
    public record Rejected(SnmpFailure failure, String detail, boolean reportSent) implements Outcome {
    }

    /** v3 engine ID discovery (RFC 3414 §4): answered with a Report carrying our engine ID. */
    public record Discovery(boolean reportSent) implements Outcome {
    }

    private static final int MAX_MESSAGE = 65_535;

    private final MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
    private final MessageProcessingModel[] models = new MessageProcessingModel[4];
    private final Set<OctetString> communities = new HashSet<>();
    private final Map<String, Integer> userLevels = new HashMap<>();
    private final byte[] localEngineId;
    private final TrapNormalizer normalizer;
    private final MPv3 mpv3;
    private final V2cTrapFastPath v2cTraps;

    /**
     * @param localEngineId our engine ID (5..32 bytes), authoritative for INFORMs
     * @param engineBoots   snmpEngineBoots (RFC 3414 §2.2): must grow on every restart
     * @param communities   v1/v2c communities accepted; empty refuses v1/v2c
     * @param users         v3 users
     */
    public SnmpMessageDecoder(byte[] localEngineId, int engineBoots, List<String> communities,
                              List<UsmUserConfig> users, OidNames names) {
        this.localEngineId = localEngineId.clone();
        this.normalizer = new TrapNormalizer(names);
        for (String c : communities) {
            this.communities.add(new OctetString(c));
        }
        this.v2cTraps = new V2cTrapFastPath(normalizer,
                this.communities.stream().map(OctetString::getValue).toList(), TrapNormalizer.MAX_OID_TEXTS);
        // A private protocol set and USM, so two receivers in one JVM never share users.
        SecurityProtocols protocols = securityProtocols();
        OctetString engine = new OctetString(localEngineId);
        USM usm = new USM(protocols, engine, engineBoots);
        // Learn senders' boots/time from their first authentic trap (RFC 3414 §3.2.7.b); SNMP4J
        // bounds the not-yet-authenticated entries this creates.
        usm.setEngineDiscoveryEnabled(true);
        for (UsmUserConfig u : users) {
            // LocalizationGrant.never: a user is valid only for the engines listed, never
            // localized on the fly for whatever engine ID a datagram claims.
            UsmUser user = new UsmUser(new OctetString(u.securityName()), u.auth() == null ? null : u.auth().oid,
                    u.auth() == null ? null : new OctetString(u.authPassphrase()),
                    u.priv() == null ? null : u.priv().oid,
                    u.priv() == null ? null : new OctetString(u.privPassphrase()), null,
                    UsmUser.LocalizationGrant.never);
            usm.addUser(user, engine);
            for (byte[] sender : u.senderEngineIds()) {
                usm.addUser(user, new OctetString(sender));
            }
            userLevels.put(u.securityName(), u.priv() != null ? SecurityLevel.AUTH_PRIV
                    : u.auth() != null ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.NOAUTH_NOPRIV);
        }
        mpv3 = new MPv3(localEngineId, null, protocols, SecurityModels.getCollection(
                new org.snmp4j.security.SecurityModel[] {usm}), new org.snmp4j.mp.CounterSupport());
        models[SnmpConstants.version1] = new MPv1();
        models[SnmpConstants.version2c] = new MPv2c();
        models[SnmpConstants.version3] = mpv3;
        for (MessageProcessingModel m : models) {
            if (m != null) {
                dispatcher.addMessageProcessingModel(m);
            }
        }
    }

    /**
     * A fresh set of every USM protocol the receiver accepts (those {@link UsmUserConfig}
     * names): MD5, SHA-1/224/256/384/512; DES, 3DES-EDE, AES-128/192/256.
     */
    public static SecurityProtocols securityProtocols() {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new org.snmp4j.security.AuthMD5());
        protocols.addAuthenticationProtocol(new org.snmp4j.security.AuthSHA());
        protocols.addAuthenticationProtocol(new org.snmp4j.security.AuthHMAC128SHA224());
        protocols.addAuthenticationProtocol(new org.snmp4j.security.AuthHMAC192SHA256());
        protocols.addAuthenticationProtocol(new org.snmp4j.security.AuthHMAC256SHA384());
        protocols.addAuthenticationProtocol(new org.snmp4j.security.AuthHMAC384SHA512());
        protocols.addPrivacyProtocol(new org.snmp4j.security.PrivDES());
        protocols.addPrivacyProtocol(new org.snmp4j.security.Priv3DES());
        protocols.addPrivacyProtocol(new org.snmp4j.security.PrivAES128());
        protocols.addPrivacyProtocol(new org.snmp4j.security.PrivAES192());
        protocols.addPrivacyProtocol(new org.snmp4j.security.PrivAES256());
        return protocols;
    }

    public byte[] localEngineId() {
        return localEngineId.clone();
    }

    /** Decodes {@code datagram} from {@code sender}; Reports go out through {@code replies} at once. */
    public Outcome decode(byte[] datagram, InetSocketAddress sender, SnmpReplies replies) {
        // Most traps a network sends are v2c traps: they take the fast path when it is sure.
        V2cTrapFastPath.Decoded v2c = v2cTraps.decode(datagram);
        if (v2c != null) {
            return new Notification(v2c.trap().build(), v2c.origin(), NO_ENGINE_ID, null);
        }
        return decodeWithSnmp4j(datagram, sender, replies);
    }

    /** {@link #decode} without the v2c fast path: SNMP4J's message processing for every message. */
    Outcome decodeWithSnmp4j(byte[] datagram, InetSocketAddress sender, SnmpReplies replies) {
        try {
            return decodeOrThrow(datagram, sender, replies);
        } catch (IOException | RuntimeException e) {
            // SNMP4J signals most grammar errors with IOException, a few with unchecked ones
            // (e.g. a negative length read as an array size): all are the bytes' fault.
            return new Rejected(SnmpFailure.BAD_BER, "BER: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), false);
        }
    }

    private Outcome decodeOrThrow(byte[] datagram, InetSocketAddress sender, SnmpReplies replies) throws IOException {
        if (datagram.length == 0) {
            return new Rejected(SnmpFailure.BAD_BER, "empty datagram", false);
        }
        BERInputStream in = new BERInputStream(ByteBuffer.wrap(datagram));
        Integer32 version = MessageDispatcherImpl.getSnmpVersion(in);
        if (version == null) {
            return new Rejected(SnmpFailure.BAD_BER, "not an SNMP message: does not start with a SEQUENCE", false);
        }
        int v = version.getValue();
        if (v < 0 || v >= models.length || models[v] == null) {
            return new Rejected(SnmpFailure.UNSUPPORTED_VERSION, "SNMP version field " + v
                    + " (0 = v1, 1 = v2c, 3 = v3 are taken)", false);
        }
        MessageProcessingModel mp = models[v];
        UdpAddress from = new UdpAddress(sender.getAddress(), sender.getPort());
        ReplyTransport transport = new ReplyTransport(replies);
        MutablePDU pdu = new MutablePDU();
        Integer32 mpModel = new Integer32();
        Integer32 securityModel = new Integer32();
        OctetString securityName = new OctetString();
        Integer32 securityLevel = new Integer32();
        PduHandle handle = new PduHandle();
        Integer32 maxSize = new Integer32(MAX_MESSAGE - MPv3.MAX_HEADER_LENGTH);
        StatusInformation status = new StatusInformation();
        MutableStateReference<UdpAddress> state = new MutableStateReference<>();
        StateReference<UdpAddress> initial = new StateReference<>();
        initial.setTransportMapping(transport);
        initial.setAddress(from);
        state.setStateReference(initial);

        UsmOutcome usm = new UsmOutcome(mpv3);
        int result = mp == mpv3
                ? mpv3.prepareDataElements(usm, dispatcher, from, in, null, mpModel, securityModel, securityName,
                        securityLevel, pdu, handle, maxSize, status, state)
                : mp.prepareDataElements(dispatcher, from, in, null, mpModel, securityModel, securityName,
                        securityLevel, pdu, handle, maxSize, status, state);
        if (result != SnmpConstants.SNMP_MP_OK) {
            return refused(result, usm, securityLevel.getValue(), securityName, transport.sent() > 0);
        }
        PDU p = pdu.getPdu();
        int type = p.getType();
        boolean notification = type == PDU.TRAP || type == PDU.INFORM || (type == PDU.V1TRAP && v == SnmpConstants.version1);
        if (!notification) {
            release(mpModel.getValue(), handle, state);
            return new Rejected(SnmpFailure.NOT_A_NOTIFICATION, PDU.getTypeString(type) + " PDU on a trap listener",
                    transport.sent() > 0);
        }
        SnmpTrap.Builder trap;
        byte[] deviceEngine = new byte[0];
        if (v == SnmpConstants.version3) {
            String user = securityName.toString();
            Integer required = userLevels.get(user);
            if (required != null && securityLevel.getValue() < required) {
                // USM accepts any level up to the user's; a receiver that took noAuthNoPriv for
                // an authPriv user would let anyone who knows the name forge traps.
                release(mpModel.getValue(), handle, state);
                return new Rejected(SnmpFailure.UNSUPPORTED_SECURITY_LEVEL, "user " + user + " sent "
                        + levelName(securityLevel.getValue()) + ", configured for " + levelName(required), false);
            }
            byte[] authoritative = usm.engineId();
            trap = normalizer.normalize(p, SnmpTrap.Version.VERSION_V3, null)
                    .setSecurityName(user)
                    .setSecurityLevel(level(securityLevel.getValue()))
                    .setAuthoritativeEngineId(ByteString.copyFrom(authoritative == null ? new byte[0] : authoritative));
            // A trap's authoritative engine is the device's; an INFORM's is ours, and the
            // device names itself in the context engine ID (RFC 3413 §3.3 snmpEngineID).
            deviceEngine = type == PDU.INFORM ? trap.getContextEngineId().toByteArray()
                    : trap.getAuthoritativeEngineId().toByteArray();
        } else {
            if (!communities.contains(securityName)) {
                // RFC 3584 §5.2.1 / RFC 1157 §4.1: an unknown community is dropped silently
                // (snmpInBadCommunityNames), never answered.
                return new Rejected(SnmpFailure.UNKNOWN_COMMUNITY, "community not in the allow-list ("
                        + securityName.length() + " bytes)", false);
            }
            trap = normalizer.normalize(p, v == SnmpConstants.version1 ? SnmpTrap.Version.VERSION_V1
                    : SnmpTrap.Version.VERSION_V2C, new String(securityName.getValue(), StandardCharsets.UTF_8));
        }
        PendingInform inform = null;
        if (type == PDU.INFORM) {
            StateReference<UdpAddress> ref = state.getStateReference();
            if (ref == null) {
                return new Rejected(SnmpFailure.OTHER, "INFORM without a state reference", false);
            }
            ref.setTransportMapping(transport); // MPv1/MPv2c leave it unset
            inform = new PendingInform(dispatcher, mpModel.getValue(), securityModel.getValue(),
                    securityName.getValue(), securityLevel.getValue(), maxSize.getValue(), ref, p, handle);
        }
        return new Notification(trap.build(), originAddress(trap), deviceEngine, inform);
    }

    /** snmpTrapAddress.0 (RFC 3584 §2.1) when a proxy forwarded the trap; the v1 agent-addr. */
    private static String originAddress(SnmpTrap.Builder trap) {
        for (var vb : trap.getVarbindsList()) {
            if (TrapNormalizer.SNMP_TRAP_ADDRESS_0.equals(vb.getOid())) {
                String origin = TrapNormalizer.originOf(vb);
                if (origin != null) {
                    return origin;
                }
            }
        }
        return null;
    }

    /** A v1/v2c notification's device engine ID: none (shared: it is never written to). */
    private static final byte[] NO_ENGINE_ID = new byte[0];

    private void release(int mpModel, PduHandle handle, MutableStateReference<UdpAddress> state) {
        if (state.getStateReference() != null) {
            dispatcher.releaseStateReference(mpModel, handle);
        }
    }

    private Outcome refused(int result, UsmOutcome usm, int securityLevel, OctetString securityName,
                            boolean reportSent) {
        byte[] engine = usm.engineId();
        String user = securityName.toString();
        if (result == SnmpConstants.SNMP_MP_PARSE_ERROR && usm.status == SnmpConstants.SNMPv3_USM_OK
                && securityLevel == SecurityLevel.AUTH_PRIV) {
            // RFC 3414 §3.2.8: the digest was right but the plaintext is not a scoped PDU.
            // CBC/CFB decryption with the wrong key "succeeds" with garbage, so this is how a
            // wrong privacy passphrase or protocol shows.
            return new Rejected(SnmpFailure.DECRYPTION_FAILURE, "decrypted scoped PDU does not parse for user "
                    + printable(user) + ": wrong priv-passphrase or priv-protocol", reportSent);
        }
        return switch (result) {
            case SnmpConstants.SNMPv3_USM_UNKNOWN_ENGINEID, SnmpConstants.SNMP_MP_INVALID_ENGINEID ->
                    engine.length == 0 ? new Discovery(reportSent)
                            : new Rejected(SnmpFailure.UNKNOWN_ENGINE_ID, "engine ID " + TrapNormalizer.hex(engine)
                            + " is not ours and not configured for user " + user, reportSent);
            case SnmpConstants.SNMPv3_USM_UNKNOWN_SECURITY_NAME -> userLevels.containsKey(user)
                    ? new Rejected(SnmpFailure.UNKNOWN_ENGINE_ID, "user " + user + " is not configured for engine ID "
                            + TrapNormalizer.hex(engine), reportSent)
                    : new Rejected(SnmpFailure.UNKNOWN_USER, "unknown user '" + printable(user) + "'", reportSent);
            case SnmpConstants.SNMPv3_USM_AUTHENTICATION_FAILURE ->
                    new Rejected(SnmpFailure.WRONG_DIGEST, "wrong digest for user " + printable(user), reportSent);
            case SnmpConstants.SNMPv3_USM_DECRYPTION_ERROR ->
                    new Rejected(SnmpFailure.DECRYPTION_FAILURE, "cannot decrypt for user " + printable(user), reportSent);
            case SnmpConstants.SNMPv3_USM_NOT_IN_TIME_WINDOW, SnmpConstants.SNMP_MP_NOT_IN_TIME_WINDOW ->
                    new Rejected(SnmpFailure.NOT_IN_TIME_WINDOW, "not in time window, user " + printable(user), reportSent);
            case SnmpConstants.SNMPv3_USM_UNSUPPORTED_SECURITY_LEVEL ->
                    new Rejected(SnmpFailure.UNSUPPORTED_SECURITY_LEVEL, "user " + printable(user)
                            + " cannot do the security level asked", reportSent);
            case SnmpConstants.SNMP_MP_PARSE_ERROR, SnmpConstants.SNMP_MP_INVALID_MESSAGE ->
                    new Rejected(SnmpFailure.BAD_BER, "SNMPv3 message does not parse (status " + result + ")", reportSent);
            case SnmpConstants.SNMP_MP_UNKNOWN_MSGID ->
                    new Rejected(SnmpFailure.NOT_A_NOTIFICATION, "Response or Report PDU on a trap listener", reportSent);
            case SnmpConstants.SNMP_MP_MATCH_ERROR, SnmpConstants.SNMP_MP_DOUBLED_MESSAGE ->
                    new Rejected(SnmpFailure.DUPLICATE_MESSAGE_ID, "msgID already waiting for an answer", reportSent);
            default -> new Rejected(SnmpFailure.OTHER, "SNMP4J status " + result, reportSent);
        };
    }

    private static String printable(String s) {
        return s.length() > 32 ? s.substring(0, 32) : s.replaceAll("\\p{Cntrl}", "?");
    }

    private static SnmpTrap.SecurityLevel level(int snmp4jLevel) {
        return switch (snmp4jLevel) {
            case SecurityLevel.AUTH_PRIV -> SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_PRIV;
            case SecurityLevel.AUTH_NOPRIV -> SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_NO_PRIV;
            default -> SnmpTrap.SecurityLevel.SECURITY_LEVEL_NO_AUTH_NO_PRIV;
        };
    }

    private static String levelName(int snmp4jLevel) {
        return switch (snmp4jLevel) {
            case SecurityLevel.AUTH_PRIV -> "authPriv";
            case SecurityLevel.AUTH_NOPRIV -> "authNoPriv";
            default -> "noAuthNoPriv";
        };
    }

    /**
     * MPv3's own scoped-PDU extraction, recording what USM said and which engine the message
     * named as authoritative: SNMP4J keeps both in locals the caller never sees.
     */
    static final class UsmOutcome implements MPv3ScopedPDUExtractor {
        private final MPv3 mpv3;
        private OctetString engineId;
        int status = Integer.MIN_VALUE;

        UsmOutcome(MPv3 mpv3) {
            this.mpv3 = mpv3;
        }

        byte[] engineId() {
            return engineId == null ? new byte[0] : engineId.getValue();
        }

        @Override
        public int extractScopedPDU(BERInputStream wholeMsg, org.snmp4j.security.SecurityModel secModel,
                                    org.snmp4j.TransportStateReference tmStateReference, MPv3.HeaderData header,
                                    Integer32 securityLevel, Integer32 maxSizeResponseScopedPDU,
                                    StatusInformation statusInformation, OctetString securityName,
                                    OctetString securityEngineID, Integer32 snmpVersion,
                                    org.snmp4j.security.SecurityParameters secParameters,
                                    org.snmp4j.asn1.BEROutputStream scopedPDU,
                                    org.snmp4j.security.SecurityStateReference secStateReference) throws IOException {
            try {
                status = mpv3.extractScopedPDU(wholeMsg, secModel, tmStateReference, header, securityLevel,
                        maxSizeResponseScopedPDU, statusInformation, securityName, securityEngineID, snmpVersion,
                        secParameters, scopedPDU, secStateReference);
                return status;
            } finally {
                engineId = securityEngineID;
            }
        }

        @Override
        public <A extends org.snmp4j.smi.Address> Integer validatePreparedPDU(OctetString securityName,
                Integer32 securityLevel, org.snmp4j.ScopedPDU scopedPdu, MPv3.HeaderData header,
                OctetString securityEngineID, org.snmp4j.security.SecurityModel secModel,
                StateReference<A> stateReference, org.snmp4j.security.SecurityStateReference secStateReference,
                PduHandle sendPduHandle, MutableStateReference<A> mutableStateReference,
                StatusInformation statusInformation) {
            return mpv3.validatePreparedPDU(securityName, securityLevel, scopedPdu, header, securityEngineID, secModel,
                    stateReference, secStateReference, sendPduHandle, mutableStateReference, statusInformation);
        }
    }

    /** Counts what SNMP4J sent during one decode (a Report), for the metrics. */
    static final class ReplyTransport extends AbstractReplyTransport {
        private final SnmpReplies replies;
        private final AtomicInteger sent = new AtomicInteger();

        ReplyTransport(SnmpReplies replies) {
            this.replies = replies;
        }

        @Override
        public void sendMessage(UdpAddress address, byte[] message,
                                org.snmp4j.TransportStateReference tmStateReference, long timeout, int retries) {
            sent.incrementAndGet();
            replies.send(new InetSocketAddress(address.getInetAddress(), address.getPort()), message);
        }

        int sent() {
            return sent.get();
        }
    }

}
