package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.testkit.SharedCaptures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * net-snmp 5.9.3's traps and INFORMs as captured on loopback (the team's shared capture; see
 * its README for the credentials), replayed through the decoder. Skipped where absent.
 */
class SnmpCaptureTest {

    private static final String CAPTURE = "generated/netsnmp_traps_v1_v2c_v3_inform.pcap";
    private static final byte[] SENDER_ENGINE = UsmUserConfig.parseEngineId("0x80001f8880c71100000000000000000001");

    record Datagram(InetSocketAddress source, int destinationPort, byte[] payload) {
    }

    @Test
    void decodesNetSnmpTrapsOfEveryVersionFromTheSharedCapture() throws Exception {
        Path file = SharedCaptures.require(CAPTURE);
        List<UsmUserConfig> users = List.of(
                new UsmUserConfig("trapuser", UsmUserConfig.AuthProtocol.SHA, "authpass123",
                        UsmUserConfig.PrivProtocol.AES128, "privpass123", List.of(SENDER_ENGINE)),
                new UsmUserConfig("trapsha256", UsmUserConfig.AuthProtocol.SHA256, "authpass123",
                        UsmUserConfig.PrivProtocol.AES128, "privpass123", List.of(SENDER_ENGINE)),
                new UsmUserConfig("informuser", UsmUserConfig.AuthProtocol.SHA, "authpass123",
                        UsmUserConfig.PrivProtocol.AES128, "privpass123", List.of()));
        SnmpMessageDecoder decoder = new SnmpMessageDecoder(UsmUserConfig.parseEngineId("0x80001370046e6f63"), 1,
                List.of("public"), users, BuiltinOidNames.INSTANCE);
        List<SnmpTrap> traps = new ArrayList<>();
        List<SnmpMessageDecoder.Outcome> others = new ArrayList<>();
        List<byte[]> reports = new ArrayList<>();
        for (Datagram d : udp(Files.readAllBytes(file))) {
            if (d.destinationPort() != 1162) {
                continue; // the capturing receiver's own Responses and Reports
            }
            var outcome = decoder.decode(d.payload(), d.source(), (to, m) -> reports.add(m));
            if (outcome instanceof SnmpMessageDecoder.Notification n) {
                traps.add(n.trap());
                if (n.inform() != null) {
                    n.inform().abandon();
                }
            } else {
                others.add(outcome);
            }
        }
        assertThat(traps).extracting(t -> t.getVersion() + "/" + t.getPduType() + "/" + t.getSecurityName())
                .containsExactly("VERSION_V1/PDU_TYPE_TRAP_V1/", "VERSION_V1/PDU_TYPE_TRAP_V1/",
                        "VERSION_V2C/PDU_TYPE_TRAP_V2/", "VERSION_V2C/PDU_TYPE_INFORM/",
                        "VERSION_V3/PDU_TYPE_TRAP_V2/trapuser", "VERSION_V3/PDU_TYPE_TRAP_V2/trapsha256");
        assertThat(traps.get(2).getTrapName()).isEqualTo("IF-MIB::linkDown");
        assertThat(traps.get(4).getSecurityLevel()).isEqualTo(SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_PRIV);
        assertThat(traps.get(4).getAuthoritativeEngineId().toByteArray()).isEqualTo(SENDER_ENGINE);
        // A third authPriv trap as trapuser does not authenticate with the README's passphrases
        // (datagram 20 of the capture): counted as a wrong digest, never decoded.
        assertThat(others).filteredOn(o -> o instanceof SnmpMessageDecoder.Rejected)
                .containsExactly(new SnmpMessageDecoder.Rejected(SnmpFailure.WRONG_DIGEST,
                        "wrong digest for user trapuser", false));
        // The v3 INFORM attempts are engine ID discovery probes, each answered with a Report.
        List<SnmpMessageDecoder.Outcome> probes = others.stream()
                .filter(o -> o instanceof SnmpMessageDecoder.Discovery).toList();
        assertThat(probes).hasSize(12).allMatch(o -> ((SnmpMessageDecoder.Discovery) o).reportSent());
        assertThat(reports).hasSize(12);
    }

    /** The UDP/IPv4 datagrams of a pcapng (or classic pcap) file with Ethernet framing. */
    static List<Datagram> udp(byte[] file) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) == 0x0A0D0D0A) {
            for (int pos = 0; pos + 12 <= file.length; ) {
                int type = b.getInt(pos);
                int len = b.getInt(pos + 4);
                if (type == 6) { // Enhanced Packet Block
                    int caplen = b.getInt(pos + 20);
                    frames.add(Arrays.copyOfRange(file, pos + 28, pos + 28 + caplen));
                }
                pos += len;
            }
        } else {
            for (int pos = 24; pos + 16 <= file.length; ) {
                int caplen = b.getInt(pos + 8);
                frames.add(Arrays.copyOfRange(file, pos + 16, pos + 16 + caplen));
                pos += 16 + caplen;
            }
        }
        List<Datagram> out = new ArrayList<>();
        for (byte[] f : frames) {
            ByteBuffer e = ByteBuffer.wrap(f);
            if (f.length < 42 || e.getShort(12) != 0x0800 || f[23] != 17) {
                continue;
            }
            int ip = 14;
            int ihl = (f[ip] & 0x0f) * 4;
            int udp = ip + ihl;
            InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(f, ip + 12, ip + 16));
            int sport = Short.toUnsignedInt(e.getShort(udp));
            int dport = Short.toUnsignedInt(e.getShort(udp + 2));
            int ulen = Short.toUnsignedInt(e.getShort(udp + 4));
            out.add(new Datagram(new InetSocketAddress(src, sport), dport,
                    Arrays.copyOfRange(f, udp + 8, Math.min(f.length, udp + ulen))));
        }
        return out;
    }
}
