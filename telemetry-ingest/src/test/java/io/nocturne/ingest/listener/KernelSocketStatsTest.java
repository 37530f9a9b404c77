package io.nocturne.ingest.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSocketStatsTest {

    @Test
    void sumsDropsAndQueuedBytesOverTheSocketsOfOnePort() {
        List<String> udp = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                "  100: 00000000:05EA 00000000:0000 07 00000000:00000200 00:00000000 00000000     0        0 1001 2 0000000000000000 7",
                "  101: 00000000:05EA 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1002 2 0000000000000000 5",
                "  102: 0100007F:0035 00000000:0000 07 00000000:00000010 00:00000000 00000000     0        0 1003 2 0000000000000000 99");
        long[] into = {0, 0};
        assertThat(KernelSocketStats.accumulate(udp, 1514, into)).isTrue();
        assertThat(into).containsExactly(12, 0x200);
        assertThat(KernelSocketStats.accumulate(udp, 9999, new long[2])).isFalse();
        // A row in an unexpected layout is skipped, never an exception in the middle of a scrape.
        long[] odd = {0, 0};
        assertThat(KernelSocketStats.accumulate(List.of("header",
                "  100: 00000000:05EA 00000000:0000 07 00000000:zz 00:00000000 00000000 0 0 1001 2 0 x"), 1514, odd)).isFalse();
        assertThat(odd).containsExactly(0, 0);
    }
}
