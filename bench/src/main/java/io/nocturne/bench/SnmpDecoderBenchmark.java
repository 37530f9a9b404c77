package io.nocturne.bench;

import io.nocturne.ingest.snmp.BuiltinOidNames;
import io.nocturne.ingest.snmp.OidNames;
import io.nocturne.ingest.snmp.SnmpMessageDecoder;
import io.nocturne.ingest.snmp.SnmpReplies;
import io.nocturne.ingest.snmp.UsmUserConfig;
import io.nocturne.ingest.snmp.mib.MibRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.asn1.BEROutputStream;
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
 * The trap receiver's decode on IF-MIB linkDown/linkUp traps (sysUpTime, snmpTrapOID, ifIndex,
 * ifAdminStatus, ifOperStatus, ifDescr): SNMPv2c — 1,024 different messages taken in turn
 * (256 interfaces, down and up, every uptime and request-id different), so the decoder's
 * caches see what a network's repeats give them and no more — and SNMPv3 authPriv (SHA / AES-128, the
 * user bound to the sender's engine ID, as a device sends traps). Names and enumerations come
 * from the shipped MIBs ({@code names=mibs}) or none ({@code names=none}), to show their cost.
 * One op = one datagram → one normalized {@code SnmpTrap}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnmpDecoderBenchmark {

    private static final byte[] RECEIVER_ENGINE = UsmUserConfig.parseEngineId("0x80001370046e6f637475726e65");
    private static final byte[] SENDER_ENGINE = UsmUserConfig.parseEngineId("0x80001f8880c71100000000000000000001");
    private static final InetSocketAddress SENDER = new InetSocketAddress("192.0.2.10", 40000);

    @Param({"v2c", "v3-authpriv"})
    public String version;

    @Param({"mibs", "none"})
    public String names;

    private SnmpMessageDecoder decoder;
    private byte[][] datagrams;
    private int next;

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        OidNames oidNames = names.equals("mibs")
                ? new io.nocturne.ingest.snmp.CachingOidNames(OidNames.firstOf(BuiltinOidNames.INSTANCE,
                        MibRegistry.load(List.of())), 100_000) : OidNames.NONE;
        decoder = new SnmpMessageDecoder(RECEIVER_ENGINE, 1, List.of("public"), List.of(new UsmUserConfig("bench",
                UsmUserConfig.AuthProtocol.parse("SHA"), "authpass123", UsmUserConfig.PrivProtocol.parse("AES"),
                "privpass123", List.of(SENDER_ENGINE))), oidNames);
        // Built per iteration: a v3 message carries the sender's engine time, which must stay
        // within the 150 s window of RFC 3414 §3.2.7.
        if (version.equals("v2c")) {
            datagrams = new byte[1024][];
            for (int i = 0; i < datagrams.length; i++) {
                datagrams[i] = v2c(i);
            }
        } else {
            datagrams = new byte[][] {v3AuthPriv()};
        }
        for (byte[] datagram : datagrams) {
            SnmpMessageDecoder.Outcome first = decoder.decode(datagram, SENDER, SnmpReplies.NONE);
            if (!(first instanceof SnmpMessageDecoder.Notification)) {
                throw new IllegalStateException("benchmark datagram does not decode: " + first);
            }
        }
    }

    /** Message {@code i}: interface {@code i % 256 + 1}, down when {@code i / 256} is even. */
    private static VariableBinding[] linkDownOrUp(int i) {
        int ifIndex = i % 256 + 1;
        boolean down = (i / 256) % 2 == 0;
        return new VariableBinding[] {
            new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(8_640_123 + 17L * i)),
            new VariableBinding(SnmpConstants.snmpTrapOID, down ? SnmpConstants.linkDown : SnmpConstants.linkUp),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.1." + ifIndex), new Integer32(ifIndex)),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.7." + ifIndex), new Integer32(1)),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.8." + ifIndex), new Integer32(down ? 2 : 1)),
            new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.2." + ifIndex), new OctetString("GigabitEthernet0/" + ifIndex)),
        };
    }

    private static VariableBinding[] linkDown() {
        return linkDownOrUp(2);
    }

    private static byte[] v2c(int i) throws Exception {
        PDU pdu = new PDU();
        pdu.setType(PDU.TRAP);
        pdu.setRequestID(new Integer32(4711 + i));
        for (VariableBinding vb : linkDownOrUp(i)) {
            pdu.add(vb);
        }
        BEROutputStream out = new BEROutputStream();
        new MPv2c().prepareOutgoingMessage(new UdpAddress("127.0.0.1/162"), 65535, SnmpConstants.version2c,
                SecurityModel.SECURITY_MODEL_SNMPv2c, "public".getBytes(StandardCharsets.UTF_8),
                SecurityLevel.NOAUTH_NOPRIV, pdu, false, new PduHandle(), out, null);
        return bytes(out);
    }

    /** A device's authPriv trap: its own engine is authoritative (RFC 3414 §3.1.1). */
    private static byte[] v3AuthPriv() throws Exception {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthSHA());
        protocols.addPrivacyProtocol(new PrivAES128());
        OctetString engine = new OctetString(SENDER_ENGINE);
        USM usm = new USM(protocols, engine, 7);
        usm.addUser(new UsmUser(new OctetString("bench"), AuthSHA.ID, new OctetString("authpass123"), PrivAES128.ID,
                new OctetString("privpass123")), engine);
        MPv3 mp = new MPv3(SENDER_ENGINE, null, protocols, SecurityModels.getCollection(new SecurityModel[] {usm}),
                new org.snmp4j.mp.CounterSupport());
        new MessageDispatcherImpl().addMessageProcessingModel(mp);
        ScopedPDU pdu = new ScopedPDU();
        pdu.setType(PDU.TRAP);
        pdu.setRequestID(new Integer32(4712));
        for (VariableBinding vb : linkDown()) {
            pdu.add(vb);
        }
        BEROutputStream out = new BEROutputStream();
        int status = mp.prepareOutgoingMessage(new UdpAddress("127.0.0.1/162"), 65535,
                MessageProcessingModel.MPv3, SecurityModel.SECURITY_MODEL_USM,
                "bench".getBytes(StandardCharsets.UTF_8), SecurityLevel.AUTH_PRIV, pdu, false, new PduHandle(), out,
                new org.snmp4j.TransportStateReference(null, new UdpAddress("127.0.0.1/162"),
                        new OctetString("bench"), org.snmp4j.security.SecurityLevel.authPriv,
                        org.snmp4j.security.SecurityLevel.undefined, false, null));
        if (status != SnmpConstants.SNMP_MP_OK) {
            throw new IllegalStateException("SNMP4J could not build the v3 trap: status " + status);
        }
        return bytes(out);
    }

    private static byte[] bytes(BEROutputStream out) {
        java.nio.ByteBuffer b = out.getBuffer();
        byte[] result = new byte[b.limit()];
        b.rewind();
        b.get(result);
        return result;
    }

    @Benchmark
    public SnmpMessageDecoder.Outcome decode() {
        byte[] datagram = datagrams[next];
        next = next + 1 == datagrams.length ? 0 : next + 1;
        return decoder.decode(datagram, SENDER, SnmpReplies.NONE);
    }
}
