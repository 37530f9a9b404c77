package io.nocturne.bench.harness;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A realistic mix of what devices send, around 200 bytes a line: RFC 5424 with and without
 * structured data, RFC 3164 from Linux and network gear, Cisco IOS / ASA, Junos RT_FLOW,
 * FortiGate key=value. Every line ends with a {@link Marker} so the harness can find it on
 * Kafka and time it. Weights follow a typical NOC feed: firewalls and routers dominate.
 */
public final class SyslogMix {

    private static final DateTimeFormatter RFC3164 = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final int[] WEIGHTS = {20, 15, 15, 15, 15, 10, 10};

    private SyslogMix() {
    }

    /** The line for sequence number {@code seq} (deterministic: seq picks the shape). */
    public static byte[] line(long seq, int exporter, String marker, long epochMillis) {
        int shape = shapeOf(seq);
        String host = "dev-" + exporter;
        int port = (int) (1024 + (seq % 60000));
        String text = switch (shape) {
            case 0 -> "<134>1 " + Instant.ofEpochMilli(epochMillis) + " " + host + ".example.net RT_FLOW - RT_FLOW_SESSION_CREATE "
                    + "[junos@2636.1.1.1.2.40 source-address=\"10.0.0." + (seq & 0xff) + "\" source-port=\"" + port
                    + "\" destination-address=\"192.0.2.10\" destination-port=\"443\"] session created " + marker;
            case 1 -> "<187>1 " + Instant.ofEpochMilli(epochMillis) + " " + host + " IOSXE 4242 LINK - "
                    + "%LINK-3-UPDOWN: Interface GigabitEthernet0/0/" + (seq % 48) + ", changed state to down " + marker;
            case 2 -> "<166>" + RFC3164.format(Instant.ofEpochMilli(epochMillis)) + " " + host
                    + " %ASA-6-302013: Built inbound TCP connection " + seq + " for outside:203.0.113.9/" + port
                    + " (203.0.113.9/" + port + ") to inside:192.0.2.5/443 " + marker;
            case 3 -> "<189>" + seq + ": " + host + ": *" + RFC3164.format(Instant.ofEpochMilli(epochMillis))
                    + ".123 UTC: %SYS-5-CONFIG_I: Configured from console by noc on vty0 (192.0.2.99) " + marker;
            case 4 -> "<30>" + RFC3164.format(Instant.ofEpochMilli(epochMillis)) + " " + host
                    + " sshd[" + (1000 + seq % 30000) + "]: Accepted publickey for noc from 192.0.2.10 port " + port + " ssh2 " + marker;
            case 5 -> "<189>date=2026-11-27 time=12:00:00 devname=\"" + host + "\" devid=\"FGT60F\" logid=\"0000000013\" "
                    + "type=\"traffic\" subtype=\"forward\" level=\"notice\" srcip=10.1.1." + (seq & 0xff)
                    + " srcport=" + port + " dstip=198.51.100.7 dstport=53 action=\"accept\" " + marker;
            default -> "<11>1 " + Instant.ofEpochMilli(epochMillis) + " " + host + " bgpd - BGP - "
                    + "neighbor 192.0.2." + (seq & 0xff) + " Down BGP Notification sent: hold time expired " + marker;
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static int shapeOf(long seq) {
        int slot = (int) Math.floorMod(seq * 2654435761L, 100);
        for (int i = 0; i < WEIGHTS.length; i++) {
            if (slot < WEIGHTS[i]) {
                return i;
            }
            slot -= WEIGHTS[i];
        }
        return WEIGHTS.length - 1;
    }
}
