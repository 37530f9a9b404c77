package io.nocturne.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.snmp.BuiltinOidNames;
import io.nocturne.ingest.snmp.SnmpMessageDecoder;
import io.nocturne.ingest.snmp.UsmUserConfig;
import io.nocturne.telemetry.v1.SnmpTrap;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's traps are what the receiver takes: v2c, v3 authPriv and INFORM (answered). */
class TrapMixTest {

    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.1.2", 40000);

    private final SnmpMessageDecoder receiver = new SnmpMessageDecoder(
            UsmUserConfig.parseEngineId("0x80001370046e6f637475726e65"), 1, List.of("public"),
            List.of(new UsmUserConfig(TrapMix.V3_USER, UsmUserConfig.AuthProtocol.parse(TrapMix.V3_AUTH),
                    TrapMix.V3_AUTH_PASS, UsmUserConfig.PrivProtocol.parse(TrapMix.V3_PRIV), TrapMix.V3_PRIV_PASS,
                    List.of(UsmUserConfig.parseEngineId(TrapMix.DEVICE_ENGINE)))), BuiltinOidNames.INSTANCE);

    @Test
    void patchedDatagramsAreWhatSnmp4jEncodesForTheSameValues() {
        for (TrapMix.Kind kind : new TrapMix.Kind[] {TrapMix.Kind.V2C, TrapMix.Kind.INFORM}) {
            TrapMix mix = new TrapMix(kind);
            for (long seq : new long[] {0, 7, 191, 192, 123_456_789L}) {
                long nanos = 1_795_780_800_123_456_789L + seq;
                byte[] fast = mix.fastDatagram(seq, 3, "run1", nanos);
                byte[] encoded = new TrapMix(kind).encodeForTest(seq, 3, String.format("nbm:run1:%012d:%019d", seq, nanos),
                        TrapMix.REQUEST_ID_BASE | (int) seq);
                assertThat(fast).as(kind + " seq " + seq).isEqualTo(encoded);
                SnmpMessageDecoder.Outcome o = receiver.decode(fast, FROM, (to, m) -> { });
                assertThat(o).isInstanceOf(SnmpMessageDecoder.Notification.class);
                String text = ((SnmpMessageDecoder.Notification) o).trap().getVarbindsList().stream()
                        .filter(v -> v.getOid().equals(TrapMix.MARKER_OID)).findFirst().orElseThrow()
                        .getOctets().toStringUtf8();
                assertThat(Marker.find(text, "run1")).isEqualTo(new Marker("run1", seq, nanos));
            }
        }
    }

    @Test
    void everyKindDecodesWithItsMarker() {
        for (TrapMix.Kind kind : TrapMix.Kind.values()) {
            TrapMix mix = new TrapMix(kind);
            String marker = new Marker("run1", 7, 123).text();
            List<byte[]> replies = new ArrayList<>();
            SnmpMessageDecoder.Outcome o = receiver.decode(mix.datagram(7, 3, marker), FROM,
                    (to, message) -> replies.add(message));
            assertThat(o).as(kind.name()).isInstanceOf(SnmpMessageDecoder.Notification.class);
            SnmpTrap trap = ((SnmpMessageDecoder.Notification) o).trap();
            assertThat(trap.getVarbindsList()).anySatisfy(v -> {
                assertThat(v.getOid()).isEqualTo(TrapMix.MARKER_OID);
                assertThat(v.getOctets().toString(StandardCharsets.UTF_8)).isEqualTo(marker);
            });
            assertThat(trap.getVersion()).isEqualTo(kind == TrapMix.Kind.V3 ? SnmpTrap.Version.VERSION_V3
                    : SnmpTrap.Version.VERSION_V2C);
            if (kind == TrapMix.Kind.INFORM) {
                SnmpMessageDecoder.Notification n = (SnmpMessageDecoder.Notification) o;
                assertThat(n.inform().acknowledge()).isTrue();
                assertThat(replies).hasSize(1);
                assertThat(TrapMix.responseRequestId(replies.get(0), replies.get(0).length)).isEqualTo(7);
            }
        }
    }
}
