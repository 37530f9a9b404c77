package io.nocturne.bench.harness;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One load run.
 *
 * @param transport       how to send
 * @param target          where ingest listens
 * @param bootstrapServers the Kafka cluster ingest publishes to (read back from it)
 * @param topic           the topic the events land on
 * @param ratePerSecond   target send rate; 0 = flat out
 * @param count           stop after this many messages
 * @param maxDuration     or after this long, whichever comes first
 * @param exporters       distinct source addresses (127.0.x.y)
 * @param ingestMetrics   ingest's /prometheus, for its counters (null: skip)
 * @param listener        the ingest listener name, to filter its counters
 * @param drainIdle       after sending, wait this long without new records before giving up
 * @param jsonOut         where to write the JSON report (null: none)
 * @param fastReadback    read back only the marker and receive time of each record, without
 *                        decoding whole events ({@code --readback fast})
 * @param traps           SNMP notifications instead of syslog (UDP only); null: syslog
 * @param flows           NetFlow v5/v9 / IPFIX / sFlow packets instead of syslog (UDP only); null: not flows
 * @param flowsPerPacket  flow records per packet (1..30; exporters pack 20-30 into an MTU);
 *                        {@code count} and {@code ratePerSecond} count flows, not packets
 * @param deferredReadback read nothing back while sending ({@code --readback after}): every
 *                        record is read back (fast) once sending ends, and delivery is timed
 *                        by ingest's acknowledged-records counter, so the harness's consumer
 *                        does not take the shared CPU from the pipeline it measures
 */
public record LoadOptions(Transport transport, InetSocketAddress target, String bootstrapServers, String topic,
                          long ratePerSecond, long count, Duration maxDuration, int exporters, URI ingestMetrics,
                          String listener, Duration drainIdle, Path jsonOut, boolean fastReadback,
                          TrapMix.Kind traps, FlowMix.Kind flows, int flowsPerPacket, boolean deferredReadback) {

    public LoadOptions(Transport transport, InetSocketAddress target, String bootstrapServers, String topic,
                       long ratePerSecond, long count, Duration maxDuration, int exporters, URI ingestMetrics,
                       String listener, Duration drainIdle, Path jsonOut, boolean fastReadback,
                       TrapMix.Kind traps, FlowMix.Kind flows, int flowsPerPacket) {
        this(transport, target, bootstrapServers, topic, ratePerSecond, count, maxDuration, exporters, ingestMetrics,
                listener, drainIdle, jsonOut, fastReadback, traps, flows, flowsPerPacket, false);
    }

    public LoadOptions(Transport transport, InetSocketAddress target, String bootstrapServers, String topic,
                       long ratePerSecond, long count, Duration maxDuration, int exporters, URI ingestMetrics,
                       String listener, Duration drainIdle, Path jsonOut, boolean fastReadback,
                       TrapMix.Kind traps, FlowMix.Kind flows) {
        this(transport, target, bootstrapServers, topic, ratePerSecond, count, maxDuration, exporters, ingestMetrics,
                listener, drainIdle, jsonOut, fastReadback, traps, flows, 1);
    }

    public LoadOptions(Transport transport, InetSocketAddress target, String bootstrapServers, String topic,
                       long ratePerSecond, long count, Duration maxDuration, int exporters, URI ingestMetrics,
                       String listener, Duration drainIdle, Path jsonOut) {
        this(transport, target, bootstrapServers, topic, ratePerSecond, count, maxDuration, exporters, ingestMetrics,
                listener, drainIdle, jsonOut, false, null, null, 1);
    }

    public LoadOptions(Transport transport, InetSocketAddress target, String bootstrapServers, String topic,
                       long ratePerSecond, long count, Duration maxDuration, int exporters, URI ingestMetrics,
                       String listener, Duration drainIdle, Path jsonOut, boolean fastReadback) {
        this(transport, target, bootstrapServers, topic, ratePerSecond, count, maxDuration, exporters, ingestMetrics,
                listener, drainIdle, jsonOut, fastReadback, null, null, 1);
    }

    public LoadOptions {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1");
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--count must be <= " + Integer.MAX_VALUE);
        }
        if (exporters < 1 || exporters > 250 * 250) {
            throw new IllegalArgumentException("--exporters must be 1.." + 250 * 250);
        }
        if (maxDuration.isNegative() || maxDuration.isZero() || maxDuration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--duration must be > 0 and <= 1h (runs always stop by themselves)");
        }
        if (deferredReadback && !fastReadback) {
            throw new IllegalArgumentException("a deferred read-back is always fast");
        }
        if (flowsPerPacket < 1 || flowsPerPacket > FlowMix.MAX_PER_PACKET) {
            throw new IllegalArgumentException("--flows-per-packet must be 1.." + FlowMix.MAX_PER_PACKET);
        }
        if (flowsPerPacket > 1 && flows == null) {
            throw new IllegalArgumentException("--flows-per-packet is for the flow scenarios");
        }
        if (!target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("--target must be a loopback address: load is only ever sent to this machine");
        }
    }
}
