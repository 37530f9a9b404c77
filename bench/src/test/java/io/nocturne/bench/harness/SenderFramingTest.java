package io.nocturne.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SenderFramingTest {

    private static String receiveAll(Transport transport, byte[]... messages) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    in.transferTo(out);
                    return s.getInetAddress().getHostAddress() + "|" + out.toString(StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Sender sender = Sender.open(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    server.getLocalPort()), 1)) {
                for (byte[] m : messages) {
                    sender.send(0, m);
                }
            }
            return received.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void framesTcpByOctetCountingOrLineFeedFromTheExportersAddress() throws Exception {
        byte[] a = "<13>1 - h a - - - one".getBytes(StandardCharsets.UTF_8);
        byte[] b = "<13>1 - h a - - - zwei \u00fc".getBytes(StandardCharsets.UTF_8);
        assertThat(receiveAll(Transport.TCP_OCTET, a, b))
                .isEqualTo("127.0.1.1|21 <13>1 - h a - - - one25 <13>1 - h a - - - zwei \u00fc");
        assertThat(receiveAll(Transport.TCP_LF, a, b))
                .isEqualTo("127.0.1.1|<13>1 - h a - - - one\n<13>1 - h a - - - zwei \u00fc\n");
    }

    @Test
    void mapsExporterIndexesToDistinctLoopbackAddresses() {
        assertThat(Sender.exporterAddress(0).getHostAddress()).isEqualTo("127.0.1.1");
        assertThat(Sender.exporterAddress(249).getHostAddress()).isEqualTo("127.0.1.250");
        assertThat(Sender.exporterAddress(250).getHostAddress()).isEqualTo("127.0.2.1");
    }

    @Test
    void markersRoundTripThroughMessageText() {
        Marker m = new Marker("ab12cd34", 42, 1_700_000_000_123_456_789L);
        byte[] line = SyslogMix.line(42, 3, m.text(), 1_700_000_000_123L);
        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(Marker.find(text, "ab12cd34")).isEqualTo(m);
        assertThat(Marker.find(text, "otherrun")).isNull();
        assertThat(Marker.find("nbm:ab12cd34:x:1", "ab12cd34")).isNull();
    }

    @Test
    void theMixIsAroundTwoHundredBytesAndCoversEveryShape() {
        java.util.Set<Integer> shapes = new java.util.HashSet<>();
        long total = 0;
        for (long i = 0; i < 1000; i++) {
            shapes.add(SyslogMix.shapeOf(i));
            total += SyslogMix.line(i, (int) (i % 16), new Marker("r", i, 1).text(), 1_700_000_000_000L).length;
        }
        assertThat(shapes).hasSize(7);
        assertThat(total / 1000).isBetween(150L, 260L);
    }

    @Test
    void theMixWriterWritesExactlyTheLinesOfTheMix() {
        MixWriter w = new MixWriter("ab12cd34", 300);
        long millis = 1_700_000_000_123L;
        for (long i = 0; i < 5_000; i++) {
            int exporter = (int) (i % 300);
            long nanos = (millis + i / 7) * 1_000_000L + i;
            int len = w.write(i, exporter, nanos, millis + i / 7);
            String expected = new String(SyslogMix.line(i, exporter, new Marker("ab12cd34", i, nanos).text(), millis + i / 7),
                    StandardCharsets.UTF_8);
            assertThat(new String(w.buffer(), 0, len, StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void fastReadbackFindsTheMarkerAndTheReceiveTimeWithoutDecodingTheEvent() {
        Marker m = new Marker("ab12cd34", 4242, 1_700_000_000_123_456_789L);
        io.nocturne.telemetry.v1.TelemetryEvent e = io.nocturne.telemetry.v1.TelemetryEvent.newBuilder()
                .setEventId("x").setListener("syslog-udp").setReceiveTimeUnixNanos(1_700_000_000_200_000_000L)
                .setExporter(io.nocturne.telemetry.v1.Endpoint.newBuilder().setAddress("127.0.1.1").setPort(9))
                .setSyslog(io.nocturne.telemetry.v1.SyslogMessage.newBuilder().setMessage("hello " + m.text()))
                .build();
        byte[] bytes = e.toByteArray();
        assertThat(KafkaReadback.receiveTime(bytes)).isEqualTo(1_700_000_000_200_000_000L);
        assertThat(KafkaReadback.receiveTime("{\"json\": true}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }
}
