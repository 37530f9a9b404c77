package io.nocturne.bench;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.syslog.SyslogDecoder;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The syslog decoder on a realistic mix of what a NOC's devices send, weighted the way
 * volume usually splits (firewall session logs dominate): FortiOS key=value, PAN-OS CSV,
 * Junos RT_FLOW with structured data, Cisco ASA, IOS/IOS-XE, NX-OS, Arista EOS, Junos BSD,
 * Linux RFC 3164 and RFC 5424, rsyslog's RFC 3339 forwarding. One op = one message, taken
 * in turn from the weighted list.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SyslogMixBenchmark {

    /** Weight, line. */
    static final Object[][] MIX = {
        {15, "<189>date=2026-11-27 time=12:00:00 devname=\"FGT60F-edge\" devid=\"FGT60FTK2109\" eventtime=1795780800123456789 "
                + "tz=\"+0100\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"notice\" vd=\"root\" "
                + "srcip=10.1.2.3 srcport=51234 srcintf=\"port1\" srcintfrole=\"lan\" dstip=93.184.216.34 dstport=443 "
                + "dstintf=\"wan1\" dstintfrole=\"wan\" sessionid=12345678 proto=6 action=\"close\" policyid=12 "
                + "service=\"HTTPS\" duration=31 sentbyte=2390 rcvdbyte=11234 sentpkt=14 rcvdpkt=16 appcat=\"unscanned\""},
        {10, "<14>Nov 27 12:00:00 PA-3220 1,2026/11/27 12:00:00,012801096514,TRAFFIC,end,2561,2026/11/27 12:00:00,"
                + "10.0.0.1,8.8.8.8,203.0.113.1,8.8.8.8,allow-dns,,,dns,vsys1,trust,untrust,ethernet1/2,ethernet1/1,"
                + "default,2026/11/27 12:00:00,12345,1,52000,53,41000,53,0x400019,udp,allow,196,78,118,2,"
                + "2026/11/27 11:59:30,0,any,0,7123456,0x8000000000000000,10.0.0.0-10.255.255.255,United States,0,1,1,"
                + "aged-out,0,0,0,0,,PA-3220,from-policy,,,0,,0,,N/A,0,0,0,0"},
        {15, "<14>1 2026-11-27T12:00:00.123Z srx-edge1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 "
                + "source-address=\"10.0.0.26\" source-port=\"37233\" destination-address=\"198.51.100.7\" "
                + "destination-port=\"443\" service-name=\"junos-https\" nat-source-address=\"203.0.113.9\" "
                + "nat-source-port=\"37233\" protocol-id=\"6\" policy-name=\"trust-to-untrust\" "
                + "source-zone-name=\"trust\" destination-zone-name=\"untrust\" session-id-32=\"4212\" "
                + "packet-incoming-interface=\"ge-0/0/1.0\"] session created 10.0.0.26/37233->198.51.100.7/443"},
        {15, "<166>Nov 27 2026 12:00:00 asa01 : %ASA-6-302013: Built outbound TCP connection 4242 for "
                + "outside:203.0.113.9/443 (203.0.113.9/443) to inside:192.0.2.5/51234 (198.51.100.2/51234)"},
        {5, "<166>%ASA-6-302014: Teardown TCP connection 4242 for outside:203.0.113.9/443 to inside:192.0.2.5/51234 "
                + "duration 0:00:31 bytes 13624 TCP FINs"},
        {8, "<187>4711: core-rtr1: *Nov 27 12:00:00.079 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down"},
        {5, "<189>: 2026 Nov 27 12:00:00 UTC: %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/12 is down (Link failure)"},
        {4, "<189>Nov 27 12:00:00 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet7, changed state to up"},
        {5, "<28>Nov 27 12:00:00 mx480-core mib2d[8956]: SNMP_TRAP_LINK_DOWN: ifIndex 532, ifAdminStatus up(1), "
                + "ifOperStatus down(2), ifName xe-1/0/0"},
        {8, "<38>Nov 27 12:00:00 bastion1 sshd[21771]: Accepted publickey for noc from 192.0.2.10 port 50514 ssh2: "
                + "ED25519 SHA256:abcdefghijklmnopqrstuvwxyz"},
        {5, "<165>1 2026-11-27T12:00:00.003Z core-sw-2 sshd 812 - - Accepted publickey for noc from 192.0.2.10 port 50514 ssh2"},
        {5, "<30>2026-11-27T12:00:00.123456+01:00 web1 systemd[1]: Started Session 4242 of user deploy."},
    };

    /**
     * {@code firewall-heavy}: the weighted list above (FortiOS / PAN-OS / RT_FLOW / ASA are 60 %
     * of it, ~270 B on average); {@code harness}: the load harness's mix
     * ({@code SyslogMix}, ~200 B, the one the end-to-end figures use).
     */
    @org.openjdk.jmh.annotations.Param({"firewall-heavy", "harness"})
    public String mix;

    private byte[][] messages;
    private int next;
    private SyslogDecoder decoder;

    @Setup
    public void setUp() {
        decoder = new SyslogDecoder(ZoneOffset.UTC, Clock.systemUTC());
        List<byte[]> list = new ArrayList<>();
        if ("harness".equals(mix)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 1000; i++) {
                list.add(io.nocturne.bench.harness.SyslogMix.line(i, i % 16, "nbm:bench:" + i + ":" + now, now));
            }
            messages = list.toArray(new byte[0][]);
            return;
        }
        for (Object[] entry : MIX) {
            byte[] bytes = ((String) entry[1]).getBytes(StandardCharsets.UTF_8);
            DecodeResult<SyslogMessage> r = decoder.decode(bytes);
            if (!(r instanceof DecodeResult.Decoded<SyslogMessage> d)
                    || d.value().getParseStatus() != SyslogMessage.ParseStatus.PARSE_STATUS_OK) {
                throw new IllegalStateException("mix line does not parse cleanly: " + entry[1] + " → " + r);
            }
            for (int i = 0; i < (Integer) entry[0]; i++) {
                list.add(bytes);
            }
        }
        // Interleave so consecutive messages differ (as on a real listener).
        java.util.Collections.shuffle(list, new java.util.Random(42));
        messages = list.toArray(new byte[0][]);
    }

    /** Mean message size of the mix, for reading ops/s as bytes/s. */
    public int meanBytes() {
        long sum = 0;
        for (byte[] m : messages) {
            sum += m.length;
        }
        return (int) (sum / messages.length);
    }

    @Benchmark
    public DecodeResult<SyslogMessage> decode() {
        byte[] m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return decoder.decode(m);
    }

    @Benchmark
    public byte[] decodeAndEncodeProtobuf() {
        byte[] m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return ((DecodeResult.Decoded<SyslogMessage>) decoder.decode(m)).value().toByteArray();
    }
}
