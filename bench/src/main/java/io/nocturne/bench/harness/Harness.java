package io.nocturne.bench.harness;

import io.nocturne.common.cli.CliOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load harness CLI:
 * <pre>
 * java -cp bench/target/benchmarks.jar io.nocturne.bench.harness.Harness &lt;scenario&gt; [options]
 * ./nocturne bench &lt;scenario&gt; [options]
 * </pre>
 * Exit code 0 when every message was accounted for, 1 when some loss is unexplained,
 * 2 for a usage error.
 */
public final class Harness {

    static final String USAGE = """
            usage: nocturne bench <scenario> [options]
            scenarios:
              syslog-udp         realistic RFC 5424/3164/vendor mix over UDP
              syslog-tcp-octet   the same over TCP, RFC 6587 octet counting
              syslog-tcp-lf      the same over TCP, LF-terminated
              syslog-tls         the same over TLS (RFC 5425), octet counting
              syslog-incident    send → incident and send → webhook latency of the default rule
                                 (start the pipeline with --webhook-url http://127.0.0.1:9099/);
                                 options --target, --alert-api URL (default http://127.0.0.1:8080),
                                 --webhook-listen H:P (default 127.0.0.1:9099), --bursts N (20),
                                 --threshold N (5, the rule's), --timeout D (30s)
              snmp-v2c           SNMPv2c traps (IF-MIB/BGP/ENVMON shapes, 7 varbinds) to the trap listener
              snmp-v3            SNMPv3 authPriv traps (SHA/AES-128, user nbench, device engine
                                 0x80001f8880c7110000000000006e6265: configure ingest as in docs/performance.md);
                                 encrypted before the run on every core: --count at most 2,000,000
              snmp-inform        SNMPv2c INFORMs; also reports the send → Response-PDU round trip
                                 (an INFORM is answered only once Kafka stored it)
                                 (SNMP scenarios: default --target 127.0.0.1:1162, --topic nocturne.traps,
                                 --listener snmp-traps)
              flow-netflow5      NetFlow v5 packets, one flow each, to the netflow-udp listener (default 127.0.0.1:2055)
              flow-netflow9      NetFlow v9 packets (template first and every 64 packets per exporter,
                                 one flow each) to the netflow-udp listener (default --target 127.0.0.1:2055)
              flow-ipfix         the same as IPFIX (default --target 127.0.0.1:4739, listener ipfix-udp)
              flow-sflow         sFlow v5 flow samples with raw Ethernet/IPv4/TCP headers (127.0.0.1:6343, listener sflow)
                                 (flow scenarios: --topic nocturne.flows; --flows-per-packet N, 1..30, default 1:
                                 real exporters fill an MTU with 20-30; --rate and --count then count flows)
              replay FILE        send the UDP payloads of a pcap/pcapng file (see --help-replay)
            options:
              --target H:P            ingest listener, loopback only (default 127.0.0.1:1514; syslog-tls 127.0.0.1:6514)
              --bootstrap-servers H:P Kafka to read back from (default 127.0.0.1:9092)
              --topic T               topic the events land on (default nocturne.syslog)
              --rate N|max            messages per second (default 10000)
              --count N               stop after N messages (default 100000)
              --duration D            and stop after D at most, e.g. 30s, 2m (default 60s, max 1h)
              --exporters N           distinct source addresses 127.0.x.y (default 16)
              --ingest-metrics URL    ingest /prometheus (default http://127.0.0.1:8081/prometheus; "none" to skip)
              --listener NAME         ingest listener whose counters to read (default syslog-udp)
              --drain D               wait for stragglers this long after the last arrival (default 5s)
              --json FILE             also write the report as JSON
              --readback full|fast|after
                                      full (default) decodes every event read back; fast finds the
                                      marker in the raw record (flows: reads only the marker's
                                      fields) and the receive time, so flat-out runs leave the
                                      shared CPU to the pipeline; after reads nothing while
                                      sending, then reads every record back (fast): delivery is
                                      timed by ingest's acknowledged-records counter (sampled
                                      every 200 ms), and the Kafka-leg latency rows stay empty
            """;

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0])) {
            System.out.println(USAGE + Replay.USAGE);
            return;
        }
        if ("--help-replay".equals(args[0])) {
            System.out.println(Replay.USAGE);
            return;
        }
        String scenario = args[0];
        try {
            if ("syslog-incident".equals(scenario)) {
                Map<String, String> v = options(List.of(args).subList(1, args.length),
                        List.of("target", "alert-api", "webhook-listen", "bursts", "threshold", "timeout"));
                IncidentLatency.Result r = IncidentLatency.run(new IncidentLatency.Options(
                        hostPort(v.getOrDefault("target", "127.0.0.1:1514")),
                        URI.create(v.getOrDefault("alert-api", "http://127.0.0.1:8080")),
                        hostPort(v.getOrDefault("webhook-listen", "127.0.0.1:9099")),
                        (int) positive(v.getOrDefault("bursts", "20"), "bursts"),
                        (int) positive(v.getOrDefault("threshold", "5"), "threshold"),
                        duration(v.getOrDefault("timeout", "30s"), "timeout")));
                System.out.print(r.table());
                if (!r.complete()) {
                    System.exit(1);
                }
                return;
            }
            if ("replay".equals(scenario)) {
                Replay.Result r = Replay.run(Replay.Options.parse(List.of(args).subList(1, args.length)));
                System.out.print(r.table());
                return;
            }
            TrapMix.Kind traps = switch (scenario) {
                case "snmp-v2c" -> TrapMix.Kind.V2C;
                case "snmp-v3" -> TrapMix.Kind.V3;
                case "snmp-inform" -> TrapMix.Kind.INFORM;
                default -> null;
            };
            FlowMix.Kind flows = switch (scenario) {
                case "flow-netflow5" -> FlowMix.Kind.NETFLOW_V5;
                case "flow-netflow9" -> FlowMix.Kind.NETFLOW_V9;
                case "flow-ipfix" -> FlowMix.Kind.IPFIX;
                case "flow-sflow" -> FlowMix.Kind.SFLOW;
                default -> null;
            };
            Transport transport = traps != null || flows != null ? Transport.UDP : switch (scenario) {
                case "syslog-udp" -> Transport.UDP;
                case "syslog-tcp-octet" -> Transport.TCP_OCTET;
                case "syslog-tcp-lf" -> Transport.TCP_LF;
                case "syslog-tls" -> Transport.TLS;
                default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'");
            };
            LoadOptions options = parse(transport, traps, flows, List.of(args).subList(1, args.length));
            LoadReport report = LoadRun.run(scenario, options);
            System.out.print(report.table());
            if (!report.accounted()) {
                System.exit(1);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("nocturne bench: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            System.err.println("nocturne bench: cannot read back from Kafka (" + e.getMessage()
                    + "): is the pipeline running, and --bootstrap-servers / --topic right?");
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println("nocturne bench: " + e.getMessage());
            System.exit(2);
        } catch (java.net.ConnectException e) {
            System.err.println("nocturne bench: cannot connect to the listener (" + e.getMessage()
                    + "): is ingest running with a listener for this transport?");
            System.exit(2);
        }
    }

    static LoadOptions parse(Transport transport, List<String> args) {
        return parse(transport, null, null, args);
    }

    static LoadOptions parse(Transport transport, TrapMix.Kind traps, FlowMix.Kind flows, List<String> args) {
        Map<String, String> v = options(args, List.of("target", "bootstrap-servers", "topic", "rate", "count", "duration",
                "exporters", "ingest-metrics", "listener", "drain", "json", "readback", "flows-per-packet"));
        String readback = v.getOrDefault("readback", "full");
        if (!List.of("full", "fast", "after").contains(readback)) {
            throw new IllegalArgumentException("--readback: '" + readback + "' is not full, fast or after");
        }
        String metrics = v.getOrDefault("ingest-metrics", "http://127.0.0.1:8081/prometheus");
        String rate = v.getOrDefault("rate", "10000");
        return new LoadOptions(transport,
                hostPort(v.getOrDefault("target", traps != null ? "127.0.0.1:1162"
                        : flows == FlowMix.Kind.IPFIX ? "127.0.0.1:4739" : flows == FlowMix.Kind.SFLOW ? "127.0.0.1:6343"
                        : flows != null ? "127.0.0.1:2055"
                        : transport == Transport.TLS ? "127.0.0.1:6514" : "127.0.0.1:1514")),
                v.getOrDefault("bootstrap-servers", "127.0.0.1:9092"),
                v.getOrDefault("topic", traps != null ? "nocturne.traps" : flows != null ? "nocturne.flows" : "nocturne.syslog"),
                "max".equalsIgnoreCase(rate) ? 0 : positive(rate, "rate"),
                positive(v.getOrDefault("count", "100000"), "count"),
                duration(v.getOrDefault("duration", "60s"), "duration"),
                (int) positive(v.getOrDefault("exporters", "16"), "exporters"),
                "none".equals(metrics) ? null : URI.create(metrics),
                v.getOrDefault("listener", traps != null ? "snmp-traps" : flows == FlowMix.Kind.IPFIX ? "ipfix-udp"
                        : flows == FlowMix.Kind.SFLOW ? "sflow" : flows != null ? "netflow-udp" : "syslog-udp"),
                duration(v.getOrDefault("drain", "5s"), "drain"),
                v.containsKey("json") ? Path.of(v.get("json")) : null,
                !"full".equals(readback), traps, flows,
                (int) positive(v.getOrDefault("flows-per-packet", "1"), "flows-per-packet"), "after".equals(readback));
    }

    /** {@code --key value} and {@code --key=value} pairs, only from {@code allowed}. */
    static Map<String, String> options(List<String> args, List<String> allowed) {
        return CliOptions.parse(args, allowed);
    }

    static InetSocketAddress hostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + value + "' is not host:port");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(value.substring(0, colon)),
                    Integer.parseInt(value.substring(colon + 1)));
        } catch (java.io.IOException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not host:port");
        }
    }

    static long positive(String value, String option) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not a positive number");
        }
    }

    static Duration duration(String value, String option) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not a duration such as 500ms, 30s, 2m");
        }
    }
}
