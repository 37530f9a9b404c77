package io.nocturne.ingest.snmp;

import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.VarBind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BER;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.AbstractVariable;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * The common case, taken without SNMP4J's message-processing objects: a well-formed SNMPv2c
 * SNMPv2-Trap-PDU with an allowed community, read with SNMP4J's own BER primitives
 * ({@link BER}, {@link AbstractVariable#createFromBER}) straight into the normalized trap.
 * What it saves: the PDU, variable-binding and OID objects and the OID decoding — a varbind
 * OID is looked up by its encoded octets ({@link OctetKeyedCache}) and decoded by SNMP4J only
 * the first time it is seen — and, for values that repeat (indexes, enumerations, addresses),
 * the whole normalized varbind is found by its encoding. Half of the v2c decode.
 *
 * <p>It answers only when it is sure: anything else (v1, INFORM, v3, an unknown community, a
 * tag or length it does not expect, anything SNMP4J would throw on) returns null and the
 * caller runs the full SNMP4J path, which gives the canonical trap or rejection. So it never
 * accepts what SNMP4J refuses, and where it answers it builds the trap with the same
 * {@link TrapNormalizer#addV2Varbind} the full path uses; a differential property test
 * holds the two paths equal on well-formed and mutated messages.
 */
final class V2cTrapFastPath {

    /**
     * Whole varbinds remembered: fewer than OIDs, as a varbind is ~10× an OID's memory and
     * only the repeating kinds are kept ({@link #repeats}).
     */
    static final int MAX_VARBINDS = 20_000;

    /**
     * The longest key remembered, in octets. The caches are bounded by entries, so without this
     * a sender could fill them with OIDs tens of kilobytes long; a real OID (RFC 2578: at most
     * 128 sub-identifiers, usually a dozen) and its varbind are far shorter. Longer ones are
     * decoded every time, as before the caches.
     */
    static final int MAX_KEY_OCTETS = 256;

    private final TrapNormalizer normalizer;
    private final OctetKeyedCache<TrapNormalizer.OidText> oids;
    private final OctetKeyedCache<Known> varbinds = new OctetKeyedCache<>(MAX_VARBINDS);

    /**
     * A remembered varbind, and the device it names when it is an snmpTrapAddress.0 that
     * names one ({@link TrapNormalizer#originOf}), else null.
     */
    private record Known(VarBind varbind, String origin) {
    }
    /** Allowed communities' octets and the text the full path would give each, as UTF-8. */
    private final byte[][] communityOctets;
    private final com.google.protobuf.ByteString[] communityTexts;

    V2cTrapFastPath(TrapNormalizer normalizer, List<byte[]> communities, int maxOids) {
        this.normalizer = normalizer;
        this.oids = new OctetKeyedCache<>(maxOids);
        this.communityOctets = communities.toArray(new byte[0][]);
        this.communityTexts = new com.google.protobuf.ByteString[communityOctets.length];
        for (int i = 0; i < communityOctets.length; i++) {
            // The full path's text (invalid UTF-8 replaced), as the bytes serialization writes.
            communityTexts[i] = com.google.protobuf.ByteString.copyFromUtf8(
                    new String(communityOctets[i], StandardCharsets.UTF_8));
        }
    }

    /**
     * A trap the fast path decoded.
     *
     * @param origin the first snmpTrapAddress.0 naming a device (RFC 3584 §2.1), else null:
     *               found while decoding, so the caller need not walk the varbinds again
     */
    record Decoded(SnmpTrap.Builder trap, String origin) {
    }

    /** The trap of {@code d}, or null when the full path must decide. Never throws. */
    Decoded decode(byte[] d) {
        try {
            return decodeOrNull(d);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Decoded decodeOrNull(byte[] d) throws IOException {
        BERInputStream in = new BERInputStream(ByteBuffer.wrap(d));
        BER.MutableByte type = new BER.MutableByte();
        // Message ::= SEQUENCE { version INTEGER, community OCTET STRING, data PDUs } (RFC 3416 / 1901)
        int messageLength = BER.decodeHeader(in, type);
        if (type.getValue() != BER.SEQUENCE) {
            return null;
        }
        int messageStart = position(in);
        int version = BER.decodeInteger(in, type);
        if (type.getValue() != BER.INTEGER || version != SnmpConstants.version2c) {
            return null;
        }
        // community: compared in place, no copy
        if (d[position(in)] != BER.OCTETSTRING) {
            return null;
        }
        in.read();
        int communityLength = BER.decodeLength(in);
        int communityStart = position(in);
        if (communityStart + communityLength > d.length) {
            return null;
        }
        com.google.protobuf.ByteString community = community(d, communityStart, communityLength);
        if (community == null) {
            return null;
        }
        in.skip(communityLength);
        int pduLength = BER.decodeHeader(in, type);
        if (type.getValue() != (byte) PDU.TRAP) {
            return null;
        }
        int pduStart = position(in);
        int requestId = BER.decodeInteger(in, type);
        if (type.getValue() != BER.INTEGER) {
            return null;
        }
        BER.decodeInteger(in, type); // error-status, unused in a trap
        if (type.getValue() != BER.INTEGER) {
            return null;
        }
        BER.decodeInteger(in, type); // error-index
        if (type.getValue() != BER.INTEGER) {
            return null;
        }
        SnmpTrap.Builder trap = SnmpTrap.newBuilder().setVersion(SnmpTrap.Version.VERSION_V2C).setCommunityBytes(community)
                .setPduType(SnmpTrap.PduType.PDU_TYPE_TRAP_V2).setRequestId(requestId);
        int listLength = BER.decodeHeader(in, type);
        if (type.getValue() != BER.SEQUENCE) {
            return null;
        }
        int listStart = position(in);
        int seen = 0;
        String origin = null;
        int at = listStart;
        // The varbinds: their headers read here on the array (the per-varbind part of the
        // message, where SNMP4J's stream calls showed in profiles); values by SNMP4J.
        while (at - listStart < listLength) {
            long vbHeader = header(d, at, BER.SEQUENCE);
            if (vbHeader < 0) {
                return null;
            }
            int vbStart = contentStart(vbHeader);
            int vbEnd = vbStart + contentLength(vbHeader);
            long nameHeader = header(d, vbStart, BER.OID);
            if (nameHeader < 0) {
                return null;
            }
            int valueAt = contentStart(nameHeader) + contentLength(nameHeader);
            if (valueAt >= vbEnd) {
                return null;
            }
            boolean rememberable = vbEnd - vbStart <= MAX_KEY_OCTETS && repeats(d[valueAt]);
            if (rememberable) {
                // Looked up before the OID: a remembered varbind needs neither its OID's text
                // nor the leading-varbind test (only ordinary varbinds are remembered).
                Known known = varbinds.get(d, vbStart, vbEnd - vbStart);
                if (known != null) {
                    // The same octets decoded before into exactly this varbind.
                    trap.addVarbinds(known.varbind());
                    if (origin == null) {
                        origin = known.origin();
                    }
                    at = vbEnd;
                    continue;
                }
            }
            TrapNormalizer.OidText name = oid(d, vbStart, nameHeader);
            if (name == null) {
                return null;
            }
            boolean remember = rememberable && !name.leading();
            TrapNormalizer.OidText oidValue = null;
            Variable value = null;
            if (d[valueAt] == BER.OID) {
                long valueHeader = header(d, valueAt, BER.OID);
                oidValue = valueHeader < 0 ? null : oid(d, valueAt, valueHeader);
                if (oidValue == null || contentStart(valueHeader) + contentLength(valueHeader) != vbEnd) {
                    return null;
                }
            } else {
                in.getBuffer().position(valueAt);
                value = AbstractVariable.createFromBER(in);
                if (position(in) != vbEnd) {
                    return null;
                }
            }
            if (remember) {
                VarBind vb = remembered(normalizer.varBind(name, value, oidValue));
                varbinds.put(d, vbStart, vbEnd - vbStart,
                        new Known(vb, name.trapAddress() ? TrapNormalizer.originOf(vb) : null));
                trap.addVarbinds(vb);
            } else {
                seen = normalizer.addV2Varbind(trap, seen, name, value, oidValue);
            }
            if (origin == null && name.trapAddress()) {
                // not a leading varbind, so addV2Varbind added it as the last one
                origin = TrapNormalizer.originOf(trap.getVarbinds(trap.getVarbindsCount() - 1));
            }
            at = vbEnd;
        }
        int end = at;
        if (end - listStart != listLength || end - pduStart != pduLength || end - messageStart != messageLength) {
            return null;
        }
        return new Decoded(trap, origin);
    }

    /**
     * The header of the TLV at {@code d[at]}: its content's start and length packed in a long
     * ({@link #contentStart}, {@link #contentLength}), or -1 unless its tag is {@code tag} and
     * its length, in the short form or the long form of one or two octets, stays within
     * {@code d}. Stricter than SNMP4J ({@link BER#decodeHeader}): whatever it refuses, the
     * full path decides.
     */
    static long header(byte[] d, int at, byte tag) {
        if (at + 1 >= d.length || d[at] != tag) {
            return -1;
        }
        int first = d[at + 1] & 0xff;
        int start;
        int length;
        if (first < 0x80) {
            start = at + 2;
            length = first;
        } else if (first == 0x81 && at + 2 < d.length) {
            start = at + 3;
            length = d[at + 2] & 0xff;
        } else if (first == 0x82 && at + 3 < d.length) {
            start = at + 4;
            length = (d[at + 2] & 0xff) << 8 | (d[at + 3] & 0xff);
        } else {
            return -1;
        }
        if (start + length > d.length) {
            return -1;
        }
        return (long) start << 32 | length;
    }

    private static int contentStart(long header) {
        return (int) (header >>> 32);
    }

    private static int contentLength(long header) {
        return (int) header;
    }

    /**
     * A varbind about to be shared by every trap that carries the same octets: its strings
     * turned into their UTF-8 bytes once (protobuf keeps what a {@code get…Bytes} returns, so
     * serializing it no longer encodes the display text) and its size computed.
     */
    private static VarBind remembered(VarBind vb) {
        vb.getOidBytes();
        vb.getNameBytes();
        vb.getDisplayBytes();
        vb.getIpAddressBytes();
        vb.getObjectIdBytes();
        vb.getSerializedSize();
        return io.nocturne.ingest.publish.SharedEncodings.remember(vb); // serialized once, copied after
    }

    /**
     * The OBJECT IDENTIFIER whose header {@code header(d, tagAt, BER.OID)} gave: its text by
     * its content octets, decoded by SNMP4J ({@link OID#decodeBER}) only on a miss; null when
     * SNMP4J refuses it.
     */
    private TrapNormalizer.OidText oid(byte[] d, int tagAt, long header) throws IOException {
        int start = contentStart(header);
        int length = contentLength(header);
        TrapNormalizer.OidText text = oids.get(d, start, length);
        if (text != null) {
            return text;
        }
        BERInputStream again = new BERInputStream(ByteBuffer.wrap(d, tagAt, d.length - tagAt));
        OID oid = new OID();
        oid.decodeBER(again);
        if (position(again) != start + length) {
            return null;
        }
        text = normalizer.uncachedText(oid);
        if (length <= MAX_KEY_OCTETS) {
            oids.put(d, start, length, text);
        }
        return text;
    }

    /**
     * Values that name things — INTEGER (indexes, enumerations), IpAddress, OBJECT IDENTIFIER
     * and the exceptions — come back in the next trap with the same OID (an interface flaps
     * between the same states); counters, gauges, time ticks and strings mostly do not, and
     * remembering them would only churn the cache.
     */
    private static boolean repeats(byte tag) {
        return tag == BER.INTEGER || tag == BER.IPADDRESS || tag == BER.OID || tag == BER.NULL
                || tag == (byte) BER.NOSUCHOBJECT || tag == (byte) BER.NOSUCHINSTANCE || tag == (byte) BER.ENDOFMIBVIEW;
    }

    private com.google.protobuf.ByteString community(byte[] d, int off, int len) {
        for (int i = 0; i < communityOctets.length; i++) {
            byte[] c = communityOctets[i];
            if (Arrays.equals(c, 0, c.length, d, off, off + len)) {
                return communityTexts[i];
            }
        }
        return null;
    }

    private static int position(BERInputStream in) {
        return (int) in.getPosition();
    }

    int cachedOids() {
        return oids.size();
    }

    int cachedVarbinds() {
        return varbinds.size();
    }
}
