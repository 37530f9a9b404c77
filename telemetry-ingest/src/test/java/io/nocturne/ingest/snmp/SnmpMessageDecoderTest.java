package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.VarBind;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Opaque;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

class SnmpMessageDecoderTest {

    private static final InetSocketAddress SENDER = new InetSocketAddress("192.0.2.10", 40000);
    private static final byte[] ENGINE = UsmUserConfig.parseEngineId("0x80001370046e6f637475726e65");

    private final SnmpMessageDecoder decoder = new SnmpMessageDecoder(ENGINE, 1, List.of("public"), List.of(),
            BuiltinOidNames.INSTANCE);

    static byte[] v2c(String community, int type, VariableBinding... vbs) throws Exception {
        PDU pdu = new PDU();
        pdu.setType(type);
        pdu.setRequestID(new Integer32(4711));
        for (VariableBinding vb : vbs) {
            pdu.add(vb);
        }
        BEROutputStream out = new BEROutputStream();
        new MPv2c().prepareOutgoingMessage(new UdpAddress("127.0.0.1/162"), 65535, SnmpConstants.version2c,
                SecurityModel.SECURITY_MODEL_SNMPv2c, community.getBytes(StandardCharsets.UTF_8),
                SecurityLevel.NOAUTH_NOPRIV, pdu, false, new PduHandle(), out, null);
        return out.getBuffer().array();
    }

    static byte[] linkDown() throws Exception {
        return v2c("public", PDU.TRAP, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(100)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.linkDown),
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.8.3"), new Integer32(2)));
    }

    @Test
    void decodesEverySmiTypeWithItsTypedValueAndDisplay() throws Exception {
        byte[] msg = v2c("public", PDU.TRAP, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(8_640_123)),
                new VariableBinding(SnmpConstants.snmpTrapOID, new OID("1.3.6.1.4.1.9.9.41.2.0.1")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.1"), new Integer32(-5)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.2"), new OctetString("Gi0/1 down ✓")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.3"), new OctetString(new byte[] {0, 0x1a, (byte) 0xff})),
                new VariableBinding(new OID("1.3.6.1.4.1.1.4"), new OID("1.3.6.1.6.3.1.1.5.4")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.5"), new IpAddress("10.9.8.7")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.6"), new Counter32(4_294_967_295L)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.7"), new Gauge32(42)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.8"), new TimeTicks(360_001)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.9"), new Opaque(new byte[] {(byte) 0x9f, 0x78, 4})),
                new VariableBinding(new OID("1.3.6.1.4.1.1.10"), new Counter64(-1L)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.11"), new Null(SMIConstants.EXCEPTION_NO_SUCH_OBJECT)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.12"), new Null(SMIConstants.EXCEPTION_NO_SUCH_INSTANCE)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.13"), new Null(SMIConstants.EXCEPTION_END_OF_MIB_VIEW)),
                new VariableBinding(new OID("1.3.6.1.4.1.1.14"), new Null()));
        SnmpMessageDecoder.Notification n = (SnmpMessageDecoder.Notification) decoder.decode(msg, SENDER, SnmpReplies.NONE);
        SnmpTrap t = n.trap();
        assertThat(t.getTrapOid()).isEqualTo("1.3.6.1.4.1.9.9.41.2.0.1");
        assertThat(t.getTrapName()).isEmpty();
        assertThat(t.getUptimeCentiseconds()).isEqualTo(8_640_123);
        assertThat(t.getRequestId()).isEqualTo(4711);
        List<VarBind> v = t.getVarbindsList();
        assertThat(v).extracting(VarBind::getType).containsExactly(VarBind.Type.TYPE_INTEGER,
                VarBind.Type.TYPE_OCTET_STRING, VarBind.Type.TYPE_OCTET_STRING, VarBind.Type.TYPE_OBJECT_IDENTIFIER,
                VarBind.Type.TYPE_IP_ADDRESS, VarBind.Type.TYPE_COUNTER32, VarBind.Type.TYPE_GAUGE32,
                VarBind.Type.TYPE_TIMETICKS, VarBind.Type.TYPE_OPAQUE, VarBind.Type.TYPE_COUNTER64,
                VarBind.Type.TYPE_NO_SUCH_OBJECT, VarBind.Type.TYPE_NO_SUCH_INSTANCE, VarBind.Type.TYPE_END_OF_MIB_VIEW,
                VarBind.Type.TYPE_NULL);
        assertThat(v).extracting(VarBind::getDisplay).containsExactly("-5", "Gi0/1 down ✓", "00:1a:ff",
                "IF-MIB::linkUp", "10.9.8.7", "4294967295", "42", "(360001) 0 days, 1:00:00.01", "9f:78:04",
                "18446744073709551615", "noSuchObject", "noSuchInstance", "endOfMibView", "");
        assertThat(v.get(0).getInteger()).isEqualTo(-5);
        assertThat(v.get(2).getOctets().toByteArray()).containsExactly(0, 0x1a, 0xff);
        assertThat(v.get(3).getObjectId()).isEqualTo("1.3.6.1.6.3.1.1.5.4");
        assertThat(v.get(5).getUnsigned()).isEqualTo(4_294_967_295L);
        assertThat(v.get(9).getUnsigned()).isEqualTo(-1L); // 2^64 - 1 as uint64
        assertThat(n.originAddress()).isNull();
        assertThat(n.inform()).isNull();
    }

    @Test
    void refusesAnUnknownCommunitySilently() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        byte[] msg = v2c("private", PDU.INFORM, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.coldStart));
        var outcome = decoder.decode(msg, SENDER, (to, m) -> sent.add(m));
        assertThat(outcome).isEqualTo(new SnmpMessageDecoder.Rejected(SnmpFailure.UNKNOWN_COMMUNITY,
                "community not in the allow-list (7 bytes)", false));
        assertThat(sent).isEmpty();
    }

    @Test
    void answersAnInformWithTheSameRequestIdAndVarbindsOnlyWhenAcknowledged() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        byte[] msg = v2c("public", PDU.INFORM, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.coldStart));
        var n = (SnmpMessageDecoder.Notification) decoder.decode(msg, SENDER, (to, m) -> sent.add(m));
        assertThat(sent).isEmpty();
        assertThat(n.inform().requestId()).isEqualTo(4711);
        assertThat(n.inform().acknowledge()).isTrue();
        assertThat(n.inform().acknowledge()).isFalse();
        // The Response-PDU is the INFORM with tag 0xA2 instead of 0xA6 (RFC 3416 §4.2.7).
        byte[] expected = msg.clone();
        int tag = indexOf(expected, (byte) 0xa6);
        expected[tag] = (byte) 0xa2;
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).isEqualTo(expected);
    }

    @Test
    void sendsNothingForAnAbandonedInform() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        byte[] msg = v2c("public", PDU.INFORM, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.coldStart));
        var n = (SnmpMessageDecoder.Notification) decoder.decode(msg, SENDER, (to, m) -> sent.add(m));
        n.inform().abandon();
        assertThat(n.inform().acknowledge()).isFalse();
        assertThat(sent).isEmpty();
    }

    @Test
    void takesSnmpTrapAddressAsTheOriginatingDevice() throws Exception {
        byte[] msg = v2c("public", PDU.TRAP, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.linkUp),
                new VariableBinding(SnmpConstants.snmpTrapAddress, new IpAddress("198.51.100.3")));
        var n = (SnmpMessageDecoder.Notification) decoder.decode(msg, SENDER, SnmpReplies.NONE);
        assertThat(n.originAddress()).isEqualTo("198.51.100.3");
    }

    @Test
    void deadLettersAGetRequestAsNotANotification() throws Exception {
        byte[] msg = v2c("public", PDU.GET, new VariableBinding(SnmpConstants.sysUpTime));
        var r = (SnmpMessageDecoder.Rejected) decoder.decode(msg, SENDER, SnmpReplies.NONE);
        assertThat(r.failure()).isEqualTo(SnmpFailure.NOT_A_NOTIFICATION);
        assertThat(r.failure().deadLetter()).isNotNull();
    }

    @Test
    void everyTruncationOfATrapIsBadBer() throws Exception {
        byte[] msg = linkDown();
        for (int len = 0; len < msg.length; len++) {
            var outcome = decoder.decode(Arrays.copyOf(msg, len), SENDER, SnmpReplies.NONE);
            assertThat(outcome).as("first %d of %d bytes", len, msg.length).isInstanceOf(SnmpMessageDecoder.Rejected.class);
            assertThat(((SnmpMessageDecoder.Rejected) outcome).failure()).isEqualTo(SnmpFailure.BAD_BER);
        }
    }

    @Test
    void lengthsBeyondTheDatagramAreBadBer() throws Exception {
        byte[] msg = linkDown();
        // Outer SEQUENCE claiming 2 GiB.
        byte[] huge = new byte[msg.length + 3];
        huge[0] = 0x30;
        huge[1] = (byte) 0x84;
        huge[2] = 0x7f;
        huge[3] = (byte) 0xff;
        huge[4] = (byte) 0xff;
        huge[5] = (byte) 0xff;
        System.arraycopy(msg, 2, huge, 6, msg.length - 3);
        assertBadBer(huge);
        // The community OCTET STRING claiming more than is left.
        byte[] community = msg.clone();
        community[indexOf(community, (byte) 0x04) + 1] = 0x7f;
        assertBadBer(community);
        // A length of length that does not fit an int.
        assertBadBer(new byte[] {0x30, (byte) 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x02, 0x01, 0x01});
        // Indefinite length (not allowed in SNMP's BER, RFC 3417 §8).
        assertBadBer(new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x00, 0x00});
    }

    @Test
    void deepNestingIsBadBerAndNoStackOverflow() {
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        int depth = 20_000;
        for (int i = 0; i < depth; i++) {
            deep.write(0x30);
            deep.write(0x84);
            int remaining = (depth - i - 1) * 6;
            deep.write(remaining >>> 24);
            deep.write(remaining >>> 16);
            deep.write(remaining >>> 8);
            deep.write(remaining);
        }
        assertBadBer(deep.toByteArray());
        // Nested constructed values where the version INTEGER should be.
        assertBadBer(new byte[] {0x30, 0x0a, 0x30, 0x08, 0x30, 0x06, 0x30, 0x04, 0x30, 0x02, 0x30, 0x00});
    }

    @Test
    void refusesVersionsItDoesNotSpeak() {
        var r = (SnmpMessageDecoder.Rejected) decoder.decode(new byte[] {0x30, 0x03, 0x02, 0x01, 0x02}, SENDER,
                SnmpReplies.NONE);
        assertThat(r.failure()).isEqualTo(SnmpFailure.UNSUPPORTED_VERSION);
    }

    @Property(tries = 3000)
    void nothingThrowsPastTheDecoderForArbitraryBytes(@ForAll @Size(max = 300) byte[] bytes) {
        assertThat(decoder.decode(bytes, SENDER, SnmpReplies.NONE)).isNotNull();
    }

    @Property(tries = 3000)
    void nothingThrowsPastTheDecoderForMutatedTraps(@ForAll("mutatedTraps") byte[] bytes) {
        SnmpMessageDecoder.Outcome outcome = decoder.decode(bytes, SENDER, SnmpReplies.NONE);
        assertThat(outcome).isNotNull();
        if (outcome instanceof SnmpMessageDecoder.Notification n) {
            // What a datagram turns into stays proportional to it (a BER length can claim
            // gigabytes; nothing may be allocated for the claim): names, hex displays and
            // the typed values are each at most a few times the encoded bytes.
            assertThat(n.trap().getSerializedSize()).isLessThanOrEqualTo(16 * bytes.length + 2048);
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedTraps() throws Exception {
        byte[] base = linkDown();
        return Arbitraries.integers().between(0, base.length - 1).list().ofMinSize(1).ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] m = base.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        m[positions.get(i)] = values.get(i);
                    }
                    return m;
                }));
    }

    /**
     * The v2c fast path ({@link V2cTrapFastPath}) and SNMP4J's full message processing give the
     * same outcome for every message: the same trap where the fast path answers, and where it
     * declines the full path decides anyway. Messages with every SMI type, OIDs up to 2^32-1
     * per sub-identifier, the two leading varbinds anywhere (or twice), other PDU types and
     * communities.
     */
    @Property(tries = 1500)
    void theFastPathAgreesWithSnmp4jOnGeneratedMessages(@ForAll("generatedMessages") byte[] bytes) {
        assertSameOutcome(bytes);
    }

    @Property(tries = 3000)
    void theFastPathAgreesWithSnmp4jOnMutatedMessages(@ForAll("mutatedMessages") byte[] bytes) {
        assertSameOutcome(bytes);
    }

    @Test
    void aWellFormedV2cTrapTakesTheFastPathAndItsOidsAreRemembered() throws Exception {
        V2cTrapFastPath fast = new V2cTrapFastPath(new TrapNormalizer(BuiltinOidNames.INSTANCE),
                List.of("public".getBytes(StandardCharsets.UTF_8)), 1000);
        SnmpTrap first = fast.decode(linkDown()).trap().build();
        assertThat(first.getTrapName()).isEqualTo("IF-MIB::linkDown");
        assertThat(first.getVarbinds(0).getName()).isEqualTo("IF-MIB::ifOperStatus.3");
        assertThat(first.getVarbinds(0).getDisplay()).isEqualTo("down(2)");
        assertThat(fast.cachedOids()).isEqualTo(4); // sysUpTime.0, snmpTrapOID.0, ifOperStatus.3 and the value linkDown
        assertThat(fast.cachedVarbinds()).isEqualTo(1); // ifOperStatus.3 = 2; the leading two are fields
        assertThat(fast.decode(linkDown()).trap().build()).isEqualTo(first);
        assertThat(fast.cachedVarbinds()).isEqualTo(1);
        // An OID longer than any real one is decoded, not remembered (the caches count entries).
        int[] giant = new int[600];
        Arrays.fill(giant, 1_000_000);
        giant[0] = 1;
        giant[1] = 3;
        SnmpTrap big = fast.decode(v2c("public", PDU.TRAP,
                new VariableBinding(new OID(giant), new Integer32(7)))).trap().build();
        assertThat(big.getVarbinds(0).getOid()).startsWith("1.3.1000000.1000000.");
        assertThat(fast.cachedOids()).isEqualTo(4);
        assertThat(fast.cachedVarbinds()).isEqualTo(1);
        // What it leaves to SNMP4J: another community, an INFORM, bad BER.
        assertThat(fast.decode(v2c("private", PDU.TRAP, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)))))
                .isNull();
        assertThat(fast.decode(v2c("public", PDU.INFORM, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(1)))))
                .isNull();
        assertThat(fast.decode(Arrays.copyOf(linkDown(), 20))).isNull();
    }

    @Test
    void theFastPathNamesTheForwardedDeviceWhetherItsVarbindWasRememberedOrNot() throws Exception {
        V2cTrapFastPath fast = new V2cTrapFastPath(new TrapNormalizer(BuiltinOidNames.INSTANCE),
                List.of("public".getBytes(StandardCharsets.UTF_8)), 1000);
        byte[] forwarded = v2c("public", PDU.TRAP, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(5)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.coldStart),
                new VariableBinding(SnmpConstants.snmpTrapAddress, new IpAddress("0.0.0.0")),
                new VariableBinding(SnmpConstants.snmpTrapAddress, new IpAddress("198.51.100.9")));
        assertThat(fast.decode(forwarded).origin()).isEqualTo("198.51.100.9"); // decoded, then remembered
        assertThat(fast.cachedVarbinds()).isEqualTo(2);
        assertThat(fast.decode(forwarded).origin()).isEqualTo("198.51.100.9"); // both from the cache
        byte[] unknownOnly = v2c("public", PDU.TRAP, new VariableBinding(SnmpConstants.snmpTrapAddress, new IpAddress("0.0.0.0")));
        assertThat(fast.decode(unknownOnly).origin()).isNull();
        assertThat(decoder.decode(forwarded, SENDER, SnmpReplies.NONE))
                .isInstanceOfSatisfying(SnmpMessageDecoder.Notification.class,
                        n -> assertThat(n.originAddress()).isEqualTo("198.51.100.9"));
    }

    private void assertSameOutcome(byte[] bytes) {
        SnmpMessageDecoder.Outcome fast = decoder.decode(bytes, SENDER, SnmpReplies.NONE);
        SnmpMessageDecoder.Outcome full = decoder.decodeWithSnmp4j(bytes, SENDER, SnmpReplies.NONE);
        if (full instanceof SnmpMessageDecoder.Notification f) {
            assertThat(fast).isInstanceOf(SnmpMessageDecoder.Notification.class);
            SnmpMessageDecoder.Notification n = (SnmpMessageDecoder.Notification) fast;
            assertThat(n.trap()).isEqualTo(f.trap());
            assertThat(n.originAddress()).isEqualTo(f.originAddress());
            assertThat(n.deviceEngineId()).isEqualTo(f.deviceEngineId());
            assertThat(n.inform() == null).isEqualTo(f.inform() == null);
        } else {
            assertThat(fast).isEqualTo(full);
        }
    }

    @Provide
    Arbitrary<byte[]> generatedMessages() {
        Arbitrary<VariableBinding> any = Arbitraries.oneOf(
                Arbitraries.just(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(12345))),
                oids().map(o -> new VariableBinding(SnmpConstants.snmpTrapOID, o)),
                oids().flatMap(o -> values().map(v -> new VariableBinding(o, v))),
                oids().flatMap(o -> values().map(v -> new VariableBinding(o, v))),
                oids().flatMap(o -> values().map(v -> new VariableBinding(o, v))),
                // snmpTrapAddress.0 (the origin a forwarder names): a device, "unknown" (0.0.0.0), or not an address
                Arbitraries.oneOf(Arbitraries.of("198.51.100.7", "0.0.0.0", "10.1.1.1")
                                .map(a -> (org.snmp4j.smi.Variable) new IpAddress(a)), values())
                        .map(v -> new VariableBinding(SnmpConstants.snmpTrapAddress, v)));
        Arbitrary<Integer> types = Arbitraries.of(PDU.TRAP, PDU.TRAP, PDU.TRAP, PDU.TRAP, PDU.INFORM, PDU.GET);
        Arbitrary<String> communities = Arbitraries.of("public", "public", "public", "private", "");
        return any.list().ofMaxSize(12).flatMap(vbs -> types.flatMap(type -> communities.map(c -> {
            try {
                return v2c(c, type, vbs.toArray(new VariableBinding[0]));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })));
    }

    @Provide
    Arbitrary<byte[]> mutatedMessages() throws Exception {
        byte[] rich = v2c("public", PDU.TRAP, new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(8_640_123)),
                new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.linkUp),
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1.3"), new Integer32(3)),
                new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2.3"), new OctetString("Gi0/3")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.4"), new OID("1.3.6.1.6.3.1.1.5.4")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.5"), new IpAddress("10.9.8.7")),
                new VariableBinding(new OID("1.3.6.1.4.1.1.10"), new Counter64(-1L)));
        return Arbitraries.of(linkDown(), rich).flatMap(base -> Arbitraries.integers().between(0, base.length - 1)
                .list().ofMinSize(1).ofMaxSize(3)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] m = base.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        m[positions.get(i)] = values.get(i);
                    }
                    return m;
                })));
    }

    private static Arbitrary<OID> oids() {
        Arbitrary<int[]> tail = Arbitraries.longs().between(0, 0xFFFFFFFFL).map(Long::intValue)
                .list().ofMinSize(0).ofMaxSize(14)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<int[]> head = Arbitraries.of(new int[] {1, 3, 6, 1, 2, 1}, new int[] {1, 3, 6, 1, 4, 1},
                new int[] {1, 3}, new int[] {0, 0}, new int[] {2, 999});
        return head.flatMap(h -> tail.map(t -> {
            int[] all = Arrays.copyOf(h, h.length + t.length);
            System.arraycopy(t, 0, all, h.length, t.length);
            return new OID(all);
        }));
    }

    private static Arbitrary<org.snmp4j.smi.Variable> values() {
        Arbitrary<byte[]> octets = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.strings().ofMaxLength(30).map(x -> x.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().ascii().ofMaxLength(30).map(x -> x.getBytes(StandardCharsets.US_ASCII)));
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFFFFFFL);
        return Arbitraries.oneOf(
                Arbitraries.integers().map(Integer32::new),
                octets.map(OctetString::new),
                octets.map(Opaque::new),
                oids().map(o -> o),
                Arbitraries.bytes().array(byte[].class).ofSize(4).map(b -> {
                    try {
                        return new IpAddress(java.net.InetAddress.getByAddress(b));
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                }),
                u32.map(Counter32::new), u32.map(Gauge32::new), u32.map(TimeTicks::new),
                Arbitraries.longs().map(Counter64::new),
                Arbitraries.of(new Null(), new Null(SMIConstants.EXCEPTION_NO_SUCH_OBJECT),
                        new Null(SMIConstants.EXCEPTION_NO_SUCH_INSTANCE), new Null(SMIConstants.EXCEPTION_END_OF_MIB_VIEW)));
    }

    private void assertBadBer(byte[] bytes) {
        var outcome = decoder.decode(bytes, SENDER, SnmpReplies.NONE);
        assertThat(outcome).isInstanceOf(SnmpMessageDecoder.Rejected.class);
        assertThat(((SnmpMessageDecoder.Rejected) outcome).failure()).isEqualTo(SnmpFailure.BAD_BER);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no " + b);
    }
}
