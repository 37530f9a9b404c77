package io.nocturne.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.Transport;
import java.net.InetSocketAddress;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReceiveContextTest {

    @Test
    void eventIdsAreVersion7UuidsInTheirTextForm() {
        for (int i = 0; i < 1000; i++) {
            String id = ReceiveContext.eventIdBytes(1_700_000_000_123L).toStringUtf8();
            UUID parsed = UUID.fromString(id);
            assertThat(parsed.toString()).isEqualTo(id);
            assertThat(parsed.version()).isEqualTo(7);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(parsed.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_123L);
        }
    }

    @Test
    void theEnvelopeCarriesTheSocketsAndListenerWhetherBuiltFromBytesOrStrings() throws Exception {
        ReceiveContext rc = new ReceiveContext("syslog-udp", Transport.TRANSPORT_UDP,
                new InetSocketAddress("127.0.1.7", 5140), new InetSocketAddress("127.0.0.1", 1514), 1_700_000_000_123_000_000L,
                false);
        TelemetryEvent e = TelemetryEvent.parseFrom(rc.newEvent().build().toByteArray());
        assertThat(e.getExporter().getAddress()).isEqualTo("127.0.1.7");
        assertThat(e.getExporter().getPort()).isEqualTo(5140);
        assertThat(e.getListenerEndpoint().getAddress()).isEqualTo("127.0.0.1");
        assertThat(e.getListener()).isEqualTo("syslog-udp");
        assertThat(e.getReceiveTimeUnixNanos()).isEqualTo(1_700_000_000_123_000_000L);
        assertThat(UUID.fromString(e.getEventId()).version()).isEqualTo(7);
        assertThat(rc.exporterAddress()).isEqualTo("127.0.1.7");
    }

    @Test
    void devicesAreSharedPerSenderAndNameAndSerializeAsBuiltOnes() throws Exception {
        ReceiveContext.Sockets sockets = new ReceiveContext.Sockets(new InetSocketAddress("127.0.1.7", 5140),
                new InetSocketAddress("127.0.0.1", 1514));
        ReceiveContext a = new ReceiveContext("syslog-udp", Transport.TRANSPORT_UDP, sockets, 1L, false);
        ReceiveContext b = new ReceiveContext("syslog-udp", Transport.TRANSPORT_UDP, sockets, 2L, false);
        assertThat(a.exporterDevice()).isSameAs(b.exporterDevice());
        assertThat(a.exporterDevice()).isEqualTo(DeviceIdentity.newBuilder().setName("127.0.1.7").setAddress("127.0.1.7").build());

        DeviceIdentity edge = a.namedDevice("edge-1.example.net");
        assertThat(b.namedDevice(new String("edge-1.example.net"))).isSameAs(edge);
        assertThat(edge).isEqualTo(DeviceIdentity.newBuilder().setName("edge-1.example.net").setAddress("127.0.1.7").build());
        DeviceIdentity other = a.namedDevice("édge-2");
        assertThat(other.getName()).isEqualTo("édge-2");
        assertThat(a.namedDevice("edge-1.example.net")).isNotSameAs(other).isEqualTo(edge);
        // Shared instances serialize exactly as freshly built ones.
        TelemetryEvent shared = a.newEvent().setDevice(other).build();
        TelemetryEvent fresh = a.newEvent().setEventId(shared.getEventId())
                .setDevice(DeviceIdentity.newBuilder().setName("édge-2").setAddress("127.0.1.7")).build();
        assertThat(shared.toByteArray()).isEqualTo(fresh.toByteArray());
    }
}
