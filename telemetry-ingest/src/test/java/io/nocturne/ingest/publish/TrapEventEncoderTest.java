package io.nocturne.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import io.nocturne.telemetry.v1.VarBind;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TrapEventEncoderTest {

    /**
     * The encoder writes TelemetryEvent and SnmpTrap field by field: a field added to either
     * message must be added to it too, or that field would be lost from every trap on Kafka.
     */
    @Test
    void knowsEveryFieldOfTheMessagesItWritesByHand() {
        assertThat(TelemetryEvent.getDescriptor().getFields().stream().mapToInt(FieldDescriptor::getNumber).toArray())
                .as("TelemetryEvent gained or lost a field: update TrapEventEncoder").isEqualTo(TrapEventEncoder.EVENT_FIELDS);
        assertThat(SnmpTrap.getDescriptor().getFields().stream().mapToInt(FieldDescriptor::getNumber).toArray())
                .as("SnmpTrap gained or lost a field: update TrapEventEncoder").isEqualTo(TrapEventEncoder.TRAP_FIELDS);
    }

    /** Byte for byte what protobuf writes, whatever is set, shared or not. */
    @Property(tries = 2000)
    void writesExactlyWhatProtobufWrites(@ForAll long seed) {
        TelemetryEvent e = randomTrapEvent(new Random(seed));
        byte[] expected = e.toByteArray();
        long mismatches = TrapEventEncoder.mismatches();
        assertThat(TrapEventEncoder.encode(e)).isEqualTo(expected);
        assertThat(TrapEventEncoder.encode(e)).isEqualTo(expected); // again, with sizes and bytes cached
        assertThat(TrapEventEncoder.mismatches()).as("wrote other than protobuf's size (fell back)").isEqualTo(mismatches);
    }

    @Test
    void otherBodiesAreWrittenByProtobuf() {
        TelemetryEvent syslog = TelemetryEvent.newBuilder().setEventId("x")
                .setSyslog(SyslogMessage.newBuilder().setMessage("hello").putFields("k", "v")).build();
        assertThat(TrapEventEncoder.encode(syslog)).isEqualTo(syslog.toByteArray());
        assertThat(TrapEventEncoder.encode(TelemetryEvent.getDefaultInstance())).isEmpty();
    }

    @Test
    void aSharedPartIsCopiedFromItsRememberedEncoding() throws Exception {
        VarBind shared = SharedEncodings.remember(VarBind.newBuilder().setOid("1.3.6.1.2.1.2.2.1.8.3")
                .setName("IF-MIB::ifOperStatus.3").setType(VarBind.Type.TYPE_INTEGER).setInteger(2).setDisplay("down(2)").build());
        assertThat(SharedEncodings.of(shared)).isEqualTo(shared.toByteArray());
        VarBind equalButNotRemembered = VarBind.parseFrom(shared.toByteArray());
        assertThat(SharedEncodings.of(equalButNotRemembered)).isNull();
        TelemetryEvent e = TelemetryEvent.newBuilder().setEventId("id").setTrap(SnmpTrap.newBuilder()
                .addVarbinds(shared).addVarbinds(equalButNotRemembered).addVarbinds(shared)).build();
        byte[] bytes = TrapEventEncoder.encode(e);
        assertThat(bytes).isEqualTo(e.toByteArray());
        assertThat(TelemetryEvent.parseFrom(bytes)).isEqualTo(e);
    }

    static TelemetryEvent randomTrapEvent(Random r) {
        TelemetryEvent.Builder e = TelemetryEvent.newBuilder();
        if (r.nextBoolean()) {
            e.setEventId(text(r));
        }
        if (r.nextBoolean()) {
            e.setExporter(maybeShared(r, Endpoint.newBuilder().setAddress(text(r)).setPort(r.nextInt(65536)).build()));
        }
        if (r.nextBoolean()) {
            e.setListener(text(r));
        }
        if (r.nextBoolean()) {
            e.setTransport(Transport.forNumber(r.nextInt(4)));
        }
        if (r.nextBoolean()) {
            e.setReceiveTimeUnixNanos(r.nextBoolean() ? r.nextLong() : Math.abs(r.nextLong()));
        }
        if (r.nextBoolean()) {
            DeviceIdentity.Builder d = DeviceIdentity.newBuilder().setName(text(r)).setAddress(text(r));
            if (r.nextBoolean()) {
                d.setSnmpEngineId(bytes(r));
            }
            if (r.nextInt(4) == 0) {
                d.putLabels(text(r), text(r));
            }
            e.setDevice(maybeShared(r, d.build()));
        }
        if (r.nextInt(4) == 0) {
            e.setRaw(bytes(r));
        }
        if (r.nextBoolean()) {
            e.setListenerEndpoint(maybeShared(r, Endpoint.newBuilder().setAddress(text(r)).setPort(r.nextInt(3)).build()));
        }
        SnmpTrap.Builder t = SnmpTrap.newBuilder();
        if (r.nextBoolean()) {
            t.setVersion(SnmpTrap.Version.forNumber(r.nextInt(4)));
        }
        if (r.nextBoolean()) {
            t.setPduType(SnmpTrap.PduType.forNumber(r.nextInt(4)));
        }
        if (r.nextBoolean()) {
            t.setCommunityBytes(ByteString.copyFromUtf8(text(r)));
        }
        if (r.nextInt(3) == 0) {
            t.setSecurityName(text(r)).setSecurityLevel(SnmpTrap.SecurityLevel.forNumber(r.nextInt(4)))
                    .setAuthoritativeEngineId(bytes(r)).setContextEngineId(bytes(r)).setContextName(text(r));
        }
        if (r.nextBoolean()) {
            t.setRequestId(r.nextInt());
        }
        if (r.nextBoolean()) {
            t.setTrapOid(text(r)).setTrapName(text(r));
        }
        if (r.nextBoolean()) {
            t.setUptimeCentiseconds(r.nextBoolean() ? r.nextLong() : r.nextInt(1000));
        }
        if (r.nextInt(3) == 0) {
            t.setV1Enterprise(text(r)).setV1AgentAddress(text(r)).setV1GenericTrap(r.nextInt()).setV1SpecificTrap(r.nextInt(7));
        }
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            VarBind.Builder vb = VarBind.newBuilder().setOid(text(r)).setType(VarBind.Type.forNumber(r.nextInt(14)));
            if (r.nextBoolean()) {
                vb.setName(text(r));
            }
            switch (r.nextInt(6)) {
                case 0 -> vb.setInteger(r.nextLong());
                case 1 -> vb.setUnsigned(r.nextLong());
                case 2 -> vb.setOctets(bytes(r));
                case 3 -> vb.setObjectId(text(r));
                case 4 -> vb.setIpAddress(text(r));
                default -> { }
            }
            if (r.nextBoolean()) {
                vb.setDisplay(text(r));
            }
            t.addVarbinds(maybeShared(r, vb.build()));
        }
        return e.setTrap(t).build();
    }

    private static <M extends com.google.protobuf.Message> M maybeShared(Random r, M m) {
        return r.nextBoolean() ? SharedEncodings.remember(m) : m;
    }

    private static String text(Random r) {
        String[] pool = {"", "public", "1.3.6.1.6.3.1.1.5.3", "IF-MIB::linkDown", "192.0.2.1", "2001:db8::1", "héllo wörld",
            "日本語", "emoji \uD83D\uDE80", "x".repeat(200)};
        return r.nextInt(3) == 0 ? Integer.toString(r.nextInt(), 36) : pool[r.nextInt(pool.length)];
    }

    private static ByteString bytes(Random r) {
        byte[] b = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(300)];
        r.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    @Test
    void fieldListsAreSorted() {
        assertThat(TrapEventEncoder.EVENT_FIELDS).isSorted();
        assertThat(Arrays.stream(TrapEventEncoder.TRAP_FIELDS).distinct().count()).isEqualTo(TrapEventEncoder.TRAP_FIELDS.length);
    }
}
