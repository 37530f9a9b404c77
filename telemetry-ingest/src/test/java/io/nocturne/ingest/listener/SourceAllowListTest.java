package io.nocturne.ingest.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceAllowListTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void matchesIpv4AndIpv6BlocksSingleHostsAndMappedAddresses() throws Exception {
        SourceAllowList list = SourceAllowList.parse(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "172.16.0.0/12"));
        assertThat(list.allows(ip("10.255.1.2"))).isTrue();
        assertThat(list.allows(ip("11.0.0.1"))).isFalse();
        assertThat(list.allows(ip("192.0.2.7"))).isTrue();
        assertThat(list.allows(ip("192.0.2.8"))).isFalse();
        assertThat(list.allows(ip("172.31.255.255"))).isTrue();
        assertThat(list.allows(ip("172.32.0.0"))).isFalse();
        assertThat(list.allows(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(list.allows(ip("2001:db9::1"))).isFalse();
        // an IPv4 sender on a dual-stack socket
        assertThat(list.allows(java.net.Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3}, null))).isTrue();
        assertThat(SourceAllowList.parse(List.of()).allows(ip("203.0.113.1"))).isTrue();
        assertThat(SourceAllowList.parse(List.of("0.0.0.0/0")).allows(ip("203.0.113.1"))).isTrue();
    }

    @Test
    void rejectsWhatIsNotACidrBlockWithoutResolvingNames() {
        assertThatThrownBy(() -> SourceAllowList.parse(List.of("router.example.net")))
                .hasMessage("'router.example.net' is not an IP address or CIDR block");
        assertThatThrownBy(() -> SourceAllowList.parse(List.of("10.0.0.0/33")))
                .hasMessage("'10.0.0.0/33': prefix length must be 0..32");
        assertThatThrownBy(() -> SourceAllowList.parse(List.of("10.0.0.0/x")))
                .hasMessage("'10.0.0.0/x': prefix length is not a number");
    }
}
