package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.SnmpTrap;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
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
 * Every privacy protocol the receiver accepts, with SNMP4J as the sending device (net-snmp
 * on Debian 12 offers only DES and AES-128/192/256, so 3DES-EDE is covered here only): an
 * authPriv trap from the device's own engine decodes; the same trap with another privacy
 * passphrase is refused as a decryption failure.
 */
class SnmpV3PrivacyTest {

    private static final byte[] RECEIVER_ENGINE = UsmUserConfig.parseEngineId("0x80001370046e6f637475726e65");
    private static final byte[] DEVICE_ENGINE = UsmUserConfig.parseEngineId("0x80000009030001020304ff");
    private static final InetSocketAddress DEVICE = new InetSocketAddress("192.0.2.20", 50000);

    static byte[] authPrivTrap(UsmUserConfig.AuthProtocol auth, UsmUserConfig.PrivProtocol priv, String privPass)
            throws Exception {
        SecurityProtocols protocols = SnmpMessageDecoder.securityProtocols();
        OctetString engine = new OctetString(DEVICE_ENGINE);
        USM usm = new USM(protocols, engine, 3);
        usm.addUser(new UsmUser(new OctetString("netops"), auth.oid, new OctetString("authpass123"), priv.oid,
                new OctetString(privPass)), engine);
        MPv3 mp = new MPv3(DEVICE_ENGINE, null, protocols, SecurityModels.getCollection(new SecurityModel[] {usm}),
                new CounterSupport());
        new MessageDispatcherImpl().addMessageProcessingModel(mp);
        ScopedPDU pdu = new ScopedPDU();
        pdu.setType(PDU.TRAP);
        pdu.setRequestID(new Integer32(99));
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(4200)));
        pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, SnmpConstants.linkUp));
        pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.2.2.1.8.7"), new Integer32(1)));
        BEROutputStream out = new BEROutputStream();
        int status = mp.prepareOutgoingMessage(new UdpAddress("127.0.0.1/162"), 65535, MessageProcessingModel.MPv3,
                SecurityModel.SECURITY_MODEL_USM, "netops".getBytes(StandardCharsets.UTF_8), SecurityLevel.AUTH_PRIV,
                pdu, false, new PduHandle(), out, new TransportStateReference(null, new UdpAddress("127.0.0.1/162"),
                        new OctetString("netops"), org.snmp4j.security.SecurityLevel.authPriv,
                        org.snmp4j.security.SecurityLevel.undefined, false, null));
        assertThat(status).as("SNMP4J built the trap").isEqualTo(SnmpConstants.SNMP_MP_OK);
        java.nio.ByteBuffer b = out.getBuffer();
        byte[] bytes = new byte[b.limit()];
        b.rewind();
        b.get(bytes);
        return bytes;
    }

    private static SnmpMessageDecoder receiver(UsmUserConfig.AuthProtocol auth, UsmUserConfig.PrivProtocol priv) {
        return new SnmpMessageDecoder(RECEIVER_ENGINE, 1, List.of(), List.of(new UsmUserConfig("netops", auth,
                "authpass123", priv, "privpass123", List.of(DEVICE_ENGINE))), BuiltinOidNames.INSTANCE);
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"SHA,DES", "SHA,3DES", "SHA-256,3DES", "MD5,3DES", "SHA-512,AES-128", "SHA-384,AES-192",
        "SHA-224,AES-256"})
    void decodesAnAuthPrivTrapAndRefusesTheWrongPrivacyPassphrase(String authName, String privName) throws Exception {
        UsmUserConfig.AuthProtocol auth = UsmUserConfig.AuthProtocol.parse(authName);
        UsmUserConfig.PrivProtocol priv = UsmUserConfig.PrivProtocol.parse(privName);

        SnmpMessageDecoder.Outcome ok = receiver(auth, priv).decode(authPrivTrap(auth, priv, "privpass123"), DEVICE,
                SnmpReplies.NONE);
        assertThat(ok).isInstanceOf(SnmpMessageDecoder.Notification.class);
        SnmpTrap trap = ((SnmpMessageDecoder.Notification) ok).trap();
        assertThat(trap.getVersion()).isEqualTo(SnmpTrap.Version.VERSION_V3);
        assertThat(trap.getSecurityLevel()).isEqualTo(SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_PRIV);
        assertThat(trap.getSecurityName()).isEqualTo("netops");
        assertThat(trap.getTrapName()).isEqualTo("IF-MIB::linkUp");
        assertThat(trap.getVarbindsList()).anySatisfy(v -> assertThat(v.getDisplay()).isEqualTo("up(1)"));
        assertThat(trap.toString()).doesNotContain("privpass123").doesNotContain("authpass123");

        SnmpMessageDecoder.Outcome wrong = receiver(auth, priv).decode(authPrivTrap(auth, priv, "otherpass99"), DEVICE,
                SnmpReplies.NONE);
        assertThat(wrong).isInstanceOf(SnmpMessageDecoder.Rejected.class);
        assertThat(((SnmpMessageDecoder.Rejected) wrong).failure().toString().toLowerCase())
                .contains("decrypt");
    }
}
