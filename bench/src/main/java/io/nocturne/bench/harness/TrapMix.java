package io.nocturne.bench.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

/**
 * SNMP notifications for the load harness, encoded by SNMP4J as a device would send them:
 * IF-MIB linkDown/linkUp, ENTITY/BGP-style traps with 4-6 varbinds, each carrying the
 * harness {@link Marker} in a private OCTET STRING varbind so it can be found on Kafka.
 * <ul>
 *   <li>{@code v2c}: SNMPv2-Trap-PDU, community {@code public};</li>
 *   <li>{@code v3}: authPriv trap (SHA / AES-128) from the device engine {@link #DEVICE_ENGINE},
 *       user {@link #V3_USER} — ingest must know the user bound to that engine (see
 *       docs/performance.md for the settings);</li>
 *   <li>{@code inform}: SNMPv2c InformRequest-PDU whose request-id is the sequence number, so
 *       the sender can time the Response-PDU.</li>
 * </ul>
 * Not thread-safe (one SNMP4J engine per instance); one instance per sender thread.
 */
public final class TrapMix {

    public static final String MARKER_OID = "1.3.6.1.4.1.99999.1.0";
    public static final String DEVICE_ENGINE = "0x80001f8880c7110000000000006e6265";
    public static final String V3_USER = "nbench";
    public static final String V3_AUTH = "SHA";
    public static final String V3_AUTH_PASS = "nbench-auth-1";
    public static final String V3_PRIV = "AES";
    public static final String V3_PRIV_PASS = "nbench-priv-1";

    private static final UdpAddress TARGET = new UdpAddress("127.0.0.1/162");
    private static final OID[] TRAPS = {SnmpConstants.linkDown, SnmpConstants.linkUp,
        new OID("1.3.6.1.2.1.15.7.2"), new OID("1.3.6.1.4.1.9.9.13.3.0.5")};

    public enum Kind { V2C, V3, INFORM }

    private final Kind kind;
    private final MPv2c v2c = new MPv2c();
    private final MPv3 v3;

    public TrapMix(Kind kind) {
        this.kind = kind;
        if (kind == Kind.V3) {
            SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
            protocols.addAuthenticationProtocol(new AuthSHA());
            protocols.addPrivacyProtocol(new PrivAES128());
            byte[] engineId = hex(DEVICE_ENGINE);
            OctetString engine = new OctetString(engineId);
            USM usm = new USM(protocols, engine, 1);
            usm.addUser(new UsmUser(new OctetString(V3_USER), AuthSHA.ID, new OctetString(V3_AUTH_PASS),
                    PrivAES128.ID, new OctetString(V3_PRIV_PASS)), engine);
            v3 = new MPv3(engineId, null, protocols, SecurityModels.getCollection(new SecurityModel[] {usm}),
                    new CounterSupport());
            new MessageDispatcherImpl().addMessageProcessingModel(v3);
        } else {
            v3 = null;
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The datagram for sequence number {@code seq} from exporter {@code exporter}. */
    public byte[] datagram(long seq, int exporter, String marker) {
        return encode(seq, exporter, marker, (int) seq);
    }

    /** The full SNMP4J encoding, for tests of {@link #fastDatagram}. */
    byte[] encodeForTest(long seq, int exporter, String marker, int requestId) {
        return encode(seq, exporter, marker, requestId);
    }

    private byte[] encode(long seq, int exporter, String marker, int requestId) {
        int ifIndex = (int) (1 + seq % 48);
        OID trapOid = TRAPS[(int) Math.floorMod(seq, (long) TRAPS.length)];
        VariableBinding[] vbs = {
            new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(100L * (1_000_000L + seq % 192))),
            new VariableBinding(SnmpConstants.snmpTrapOID, trapOid),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1." + ifIndex), new Integer32(ifIndex)),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.7." + ifIndex), new Integer32(1)),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.8." + ifIndex), new Integer32(2)),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2." + ifIndex),
                    new OctetString("GigabitEthernet0/" + ifIndex + " dev-" + exporter)),
            new VariableBinding(new OID(MARKER_OID), new OctetString(marker)),
        };
        try {
            BEROutputStream out = new BEROutputStream();
            if (kind == Kind.V3) {
                ScopedPDU pdu = new ScopedPDU();
                pdu.setType(PDU.TRAP);
                pdu.setRequestID(new Integer32(requestId));
                pdu.addAll(vbs);
                int status = v3.prepareOutgoingMessage(TARGET, 65535, MessageProcessingModel.MPv3,
                        SecurityModel.SECURITY_MODEL_USM, V3_USER.getBytes(StandardCharsets.UTF_8),
                        SecurityLevel.AUTH_PRIV, pdu, false, new PduHandle(), out, new TransportStateReference(null,
                                TARGET, new OctetString(V3_USER), org.snmp4j.security.SecurityLevel.authPriv,
                                org.snmp4j.security.SecurityLevel.undefined, false, null));
                if (status != SnmpConstants.SNMP_MP_OK) {
                    throw new IllegalStateException("SNMP4J could not encode a v3 trap: status " + status);
                }
            } else {
                PDU pdu = new PDU();
                pdu.setType(kind == Kind.INFORM ? PDU.INFORM : PDU.TRAP);
                pdu.setRequestID(new Integer32(requestId));
                pdu.addAll(vbs);
                v2c.prepareOutgoingMessage(TARGET, 65535, SnmpConstants.version2c, SecurityModel.SECURITY_MODEL_SNMPv2c,
                        "public".getBytes(StandardCharsets.UTF_8), SecurityLevel.NOAUTH_NOPRIV, pdu, false,
                        new PduHandle(), out, null);
            }
            ByteBuffer b = out.getBuffer();
            byte[] bytes = new byte[b.limit()];
            b.rewind();
            b.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SNMPv3 authPriv traps for a whole run, encoded before it starts on {@code threads}
     * threads (one SNMP4J engine each): every message is encrypted and authenticated anew, so
     * no template can be patched, and SNMP4J's encoder (~100 µs a message) would otherwise
     * bound the send rate and take the CPU the pipeline needs. Message {@code i}'s marker
     * carries its planned send time as an offset from the run's start,
     * {@code i * nanosPerMessage} (0 when flat out); the read-back adds the start
     * ({@link KafkaReadback#markerTimeBase}).
     */
    public static byte[][] preEncodeV3(int count, int exporters, String run, double nanosPerMessage, int threads)
            throws InterruptedException {
        byte[][] out = new byte[count][];
        Thread[] workers = new Thread[Math.max(1, threads)];
        RuntimeException[] failure = new RuntimeException[1];
        for (int w = 0; w < workers.length; w++) {
            int first = w;
            workers[w] = new Thread(() -> {
                try {
                    TrapMix mix = new TrapMix(Kind.V3);
                    for (int i = first; i < count; i += workers.length) {
                        long offset = (long) (i * nanosPerMessage);
                        out[i] = mix.datagram(i, i % exporters, new Marker(run, i, offset).text());
                    }
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }, "harness-v3-encoder-" + w);
            workers[w].start();
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return out;
    }

    /** A v2c datagram encoded once, with the places its per-message values are written into. */
    private record Template(byte[] bytes, int seqAt, int nanosAt, int requestIdAt) {
    }

    private static final int SEQ_DIGITS = 12;
    private static final int NANOS_DIGITS = 19;
    /** Request-ids 0x40000000 | seq: always 4 content bytes in BER, so templates can be patched. */
    public static final int REQUEST_ID_BASE = 0x40000000;
    private final java.util.Map<Long, Template> templates = new java.util.HashMap<>();

    /**
     * As {@link #datagram}, for v2c traps and INFORMs at the rates the harness needs (SNMP4J's
     * encoder costs tens of µs a message, more than ingest's decoding): each shape is encoded
     * once with a fixed-width marker ({@code nbm:run:<12-digit seq>:<19-digit send ns>}) and a
     * 4-byte request-id ({@link #REQUEST_ID_BASE} | seq), then copied and patched per message.
     * The bytes are exactly what SNMP4J would encode for those values.
     */
    public byte[] fastDatagram(long seq, int exporter, String run, long sendEpochNanos) {
        if (kind == Kind.V3) {
            return datagram(seq, exporter, new Marker(run, seq, sendEpochNanos).text());
        }
        long key = (seq % 192) * 65_536L + exporter;
        Template t = templates.get(key);
        if (t == null) {
            String marker = Marker.PREFIX + run + ":" + "0".repeat(SEQ_DIGITS) + ":" + "0".repeat(NANOS_DIGITS);
            byte[] bytes = encode(seq, exporter, marker, REQUEST_ID_BASE);
            byte[] prefix = (Marker.PREFIX + run + ":").getBytes(StandardCharsets.US_ASCII);
            int markerAt = indexOf(bytes, prefix);
            int requestIdAt = indexOf(bytes, new byte[] {0x02, 0x04, 0x40, 0, 0, 0}) + 2;
            if (markerAt < 0 || requestIdAt < 2) {
                throw new IllegalStateException("cannot find the marker or request-id in the encoded trap");
            }
            int seqAt = markerAt + prefix.length;
            t = new Template(bytes, seqAt, seqAt + SEQ_DIGITS + 1, requestIdAt);
            templates.put(key, t);
        }
        byte[] d = t.bytes().clone();
        digits(d, t.seqAt(), SEQ_DIGITS, seq);
        digits(d, t.nanosAt(), NANOS_DIGITS, sendEpochNanos);
        int id = REQUEST_ID_BASE | (int) (seq & 0x3FFFFFFF);
        d[t.requestIdAt()] = (byte) (id >>> 24);
        d[t.requestIdAt() + 1] = (byte) (id >>> 16);
        d[t.requestIdAt() + 2] = (byte) (id >>> 8);
        d[t.requestIdAt() + 3] = (byte) id;
        return d;
    }

    private static void digits(byte[] d, int at, int width, long value) {
        for (int i = width - 1; i >= 0; i--) {
            d[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The request-id of an SNMPv2c Response-PDU ({@code 30 .. 02 01 01 04 <community> a2 ..
     * 02 <len> <request-id>}), or -1 if {@code datagram} is not one.
     */
    public static long responseRequestId(byte[] datagram, int length) {
        try {
            int p = 0;
            if (datagram[p++] != 0x30) {
                return -1;
            }
            p = skipLength(datagram, p);
            if (datagram[p] != 0x02) {
                return -1;
            }
            p = skipTlv(datagram, p); // version
            if (datagram[p] != 0x04) {
                return -1;
            }
            p = skipTlv(datagram, p); // community
            if ((datagram[p] & 0xFF) != 0xA2) {
                return -1;
            }
            p++;
            p = skipLength(datagram, p);
            if (datagram[p++] != 0x02) {
                return -1;
            }
            int len = datagram[p++];
            long v = datagram[p] < 0 ? -1 : 0;
            for (int i = 0; i < len && p + i < length; i++) {
                v = (v << 8) | (datagram[p + i] & 0xFF);
            }
            return v;
        } catch (ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static int skipLength(byte[] b, int p) {
        int first = b[p++] & 0xFF;
        return first < 0x80 ? p : p + (first & 0x7F);
    }

    private static int skipTlv(byte[] b, int p) {
        p++;
        int first = b[p++] & 0xFF;
        int len = first;
        if (first >= 0x80) {
            len = 0;
            for (int i = 0; i < (first & 0x7F); i++) {
                len = (len << 8) | (b[p++] & 0xFF);
            }
        }
        return p + len;
    }

    static byte[] hex(String text) {
        String h = text.startsWith("0x") ? text.substring(2) : text;
        return java.util.HexFormat.of().parseHex(h);
    }
}
