package io.nocturne.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's UDP counters from {@code /proc/net/snmp} (system-wide): {@code RcvbufErrors}
 * counts datagrams dropped because a socket's receive buffer was full, {@code InErrors}
 * all receive errors. Read before and after a run; on a machine with other UDP traffic the
 * delta includes it.
 */
public record KernelUdpStats(long inDatagrams, long inErrors, long rcvbufErrors, long noPorts) {

    static final Path PROC = Path.of("/proc/net/snmp");

    public static KernelUdpStats read() {
        if (!Files.isReadable(PROC)) {
            return new KernelUdpStats(-1, -1, -1, -1);
        }
        try {
            return parse(Files.readAllLines(PROC));
        } catch (IOException e) {
            return new KernelUdpStats(-1, -1, -1, -1);
        }
    }

    static KernelUdpStats parse(List<String> lines) {
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith("Udp:")) {
                continue;
            }
            String[] parts = line.substring(4).trim().split("\\s+");
            if (names == null) {
                names = parts;
            } else {
                Map<String, Long> v = new HashMap<>();
                for (int i = 0; i < Math.min(names.length, parts.length); i++) {
                    v.put(names[i], Long.parseLong(parts[i]));
                }
                return new KernelUdpStats(v.getOrDefault("InDatagrams", -1L), v.getOrDefault("InErrors", -1L),
                        v.getOrDefault("RcvbufErrors", -1L), v.getOrDefault("NoPorts", -1L));
            }
        }
        return new KernelUdpStats(-1, -1, -1, -1);
    }

    public boolean available() {
        return rcvbufErrors >= 0;
    }

    public KernelUdpStats minus(KernelUdpStats before) {
        return new KernelUdpStats(inDatagrams - before.inDatagrams, inErrors - before.inErrors,
                rcvbufErrors - before.rcvbufErrors, noPorts - before.noPorts);
    }
}
