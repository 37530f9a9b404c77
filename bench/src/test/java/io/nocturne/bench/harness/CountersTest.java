package io.nocturne.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountersTest {

    @Test
    void readsTheUdpLineOfProcNetSnmp() {
        KernelUdpStats s = KernelUdpStats.parse(List.of(
                "Ip: Forwarding DefaultTTL",
                "Ip: 1 64",
                "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
                "Udp: 1000 3 7 900 5 0 0 0 0",
                "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
                "UdpLite: 0 0 0 0 0 0 0 0 0"));
        assertThat(s).isEqualTo(new KernelUdpStats(1000, 7, 5, 3));
        assertThat(s.minus(new KernelUdpStats(400, 2, 1, 3))).isEqualTo(new KernelUdpStats(600, 5, 4, 0));
    }

    @Test
    void sumsPrometheusSamplesByNameAndLabel() {
        String text = """
                # HELP nocturne_ingest_packets_received_total Datagrams received
                # TYPE nocturne_ingest_packets_received_total counter
                nocturne_ingest_packets_received_total{listener="syslog-udp",protocol="syslog"} 120.0
                nocturne_ingest_packets_received_total{listener="other",protocol="syslog"} 7.0
                nocturne_ingest_decode_failures_total{listener="syslog-udp",protocol="syslog",reason="empty"} 2.0
                nocturne_ingest_decode_failures_total{listener="syslog-udp",protocol="syslog",reason="oversized"} 1.0
                process_uptime_seconds 12.5
                """;
        PrometheusScrape all = PrometheusScrape.parse(text, null);
        PrometheusScrape udp = PrometheusScrape.parse(text, "listener=\"syslog-udp\"");
        assertThat(all.get("nocturne_ingest_packets_received_total")).isEqualTo(127);
        assertThat(udp.get("nocturne_ingest_packets_received_total")).isEqualTo(120);
        assertThat(udp.get("nocturne_ingest_decode_failures_total")).isEqualTo(3);
        assertThat(udp.get("absent_metric")).isZero();
        assertThat(PrometheusScrape.unavailable().get("x")).isEqualTo(-1);
        assertThat(PrometheusScrape.delta(PrometheusScrape.unavailable(), udp, "x")).isEqualTo(-1);
    }
}
