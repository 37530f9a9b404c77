package io.nocturne.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.evaluation.AlertEvaluator;
import io.nocturne.alert.evaluation.AlertState;
import io.nocturne.alert.evaluation.EvaluationMetrics;
import io.nocturne.alert.evaluation.RuleMatch;
import io.nocturne.alert.evaluation.RuleMatcher;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleFileException;
import io.nocturne.alert.rules.RuleFileLoader;
import io.nocturne.alert.rules.RuleRepository;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.syslog.SyslogDecoder;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.EventRef;
import io.nocturne.telemetry.v1.FlowRecord;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VarBind;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Rule matching and evaluation, the alert engine's per-event work outside Kafka Streams:
 * 100 rules loaded (the shipped pack, read from {@code deploy/config/rules} — run from the
 * checkout — plus 82 generated ones of every kind: indexed by mnemonic, app name and trap
 * OID, and some that must see every event), over a mix of decoded syslog (the
 * {@link SyslogMixBenchmark} lines from 200 devices), traps and flows. One op = one event:
 * candidates from the index, CEL predicates, group labels and fingerprint, and for each
 * match the evaluator's state update ({@code store=memory}: a HashMap of objects;
 * {@code store=serde}: as {@code RuleStateProcessor} runs it, every state written through its
 * changelog serializer as the RocksDB store does, read through the write-through cache of
 * decoded states).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {

    @Param({"memory", "serde"})
    public String store;

    private TelemetryEvent[] events;
    private EventRef[] refs;
    private int next;
    private RuleMatcher matcher;
    private AlertEvaluator evaluator;
    private AlertEvaluator.StateAccess access;
    private long clock;
    private int ruleCount;

    @Setup
    public void setUp() throws Exception {
        RuleSet rules = new RuleSet(rules(), 1);
        ruleCount = rules.size();
        if (ruleCount != 100) {
            throw new IllegalStateException("expected 100 rules, have " + ruleCount);
        }
        EvaluationMetrics metrics = new EvaluationMetrics(new SimpleMeterRegistry());
        matcher = new RuleMatcher(() -> rules, metrics);
        evaluator = new AlertEvaluator(() -> rules, Duration.ofSeconds(5), Duration.ofSeconds(30), metrics);
        Map<String, AlertState> map = new HashMap<>();
        Map<String, byte[]> bytes = new HashMap<>();
        boolean serde = "serde".equals(store);
        AlertEvaluator.StateAccess raw = new AlertEvaluator.StateAccess() {
            @Override
            public AlertState get(String fp) {
                if (serde) {
                    byte[] b = bytes.get(fp);
                    return b == null ? null : AlertState.SERDE.deserializer().deserialize("", b);
                }
                return map.get(fp);
            }

            @Override
            public void put(String fp, AlertState s) {
                if (serde) {
                    bytes.put(fp, AlertState.SERDE.serializer().serialize("", s));
                } else {
                    map.put(fp, s);
                }
            }

            @Override
            public void delete(String fp) {
                map.remove(fp);
                bytes.remove(fp);
            }

            @Override
            public void forEach(BiConsumer<String, AlertState> visitor) {
                map.forEach(visitor);
            }
        };
        // As RuleStateProcessor runs it: decoded states cached in front of the (serialized) store.
        access = serde ? new io.nocturne.alert.evaluation.StateCache(raw, 10_000) : raw;
        events = events();
        refs = new EventRef[events.length];
        for (int i = 0; i < events.length; i++) {
            refs[i] = EventRef.newBuilder().setTopic("nocturne.syslog").setPartition(i % 6).setOffset(i)
                    .setEventId(events[i].getEventId()).setReceiveTimeUnixNanos(events[i].getReceiveTimeUnixNanos()).build();
        }
        clock = 1_795_780_800_000L;
    }

    /** The shipped pack plus 82 generated rules. */
    static List<Rule> rules() throws RuleFileException {
        List<RuleFileException.Problem> problems = new ArrayList<>();
        List<Rule> out = new ArrayList<>(RuleRepository.loadAll(Path.of("deploy/config/rules"), problems));
        if (!problems.isEmpty()) {
            throw new RuleFileException(problems);
        }
        StringBuilder y = new StringBuilder("groups:\n  - name: generated\n    rules:\n");
        for (int i = 0; i < 30; i++) { // indexed by mnemonic: most never match
            y.append("      - {name: Mnemonic").append(i).append(", kind: event, match: 'syslog.vendor.mnemonic == \"MNEMONIC_")
                    .append(i).append("\" && syslog.severity <= 4'}\n");
        }
        y.append("      - {name: AsaBuilt, kind: threshold, match: 'syslog.vendor.mnemonic == \"302013\"', window: 1m, threshold: 1000}\n");
        y.append("      - {name: NxosIfDown, kind: event, match: 'syslog.vendor.mnemonic == \"IF_DOWN_LINK_FAILURE\"', group_by: [device, interface]}\n");
        for (int i = 0; i < 20; i++) { // enterprise traps, problem/clear, indexed by OID
            y.append("      - {name: VendorTrap").append(i).append(", kind: problem_clear, match: 'trap.trap_oid == \"1.3.6.1.4.1.9999.")
                    .append(i).append(".0.1\"', clear: 'trap.trap_oid == \"1.3.6.1.4.1.9999.").append(i).append(".0.2\"'}\n");
        }
        for (int i = 0; i < 10; i++) { // indexed by app name
            y.append("      - {name: App").append(i).append(", kind: threshold, match: 'syslog.app_name == \"app")
                    .append(i).append("\" && syslog.severity <= 3', window: 5m, threshold: 10}\n");
        }
        y.append("      - {name: SshdAccepted, kind: threshold, match: 'syslog.app_name == \"sshd\" && syslog.message.startsWith(\"Accepted\")', window: 1m, aggregate: distinct, field: syslog.hostname, threshold: 50}\n");
        for (int i = 0; i < 5; i++) { // exporter-specific
            y.append("      - {name: Exporter").append(i).append(", kind: event, match: 'event.exporter.address == \"198.18.0.")
                    .append(i).append("\" && syslog.severity <= 2'}\n");
        }
        for (int i = 0; i < 5; i++) { // tested on every syslog event
            y.append("      - {name: Text").append(i).append(", kind: threshold, match: 'syslog.severity <= 2 && syslog.message.contains(\"panic")
                    .append(i).append("\")', window: 1m, threshold: 3}\n");
        }
        for (int i = 0; i < 9; i++) { // flows, tested on every flow
            y.append("      - {name: FlowPort").append(i).append(", kind: threshold, match: 'flow.dst_port == ").append(8000 + i)
                    .append("u', field: double(flow.bytes_scaled), aggregate: sum, window: 1m, group_by: [dst_address], threshold: 1e9}\n");
        }
        out.addAll(RuleFileLoader.parse("generated.yml", y.toString()));
        return out;
    }

    static TelemetryEvent[] events() {
        SyslogDecoder decoder = new SyslogDecoder(ZoneOffset.UTC, Clock.systemUTC());
        List<SyslogMessage> bodies = new ArrayList<>();
        for (Object[] entry : SyslogMixBenchmark.MIX) {
            DecodeResult<SyslogMessage> r = decoder.decode(((String) entry[1]).getBytes(StandardCharsets.UTF_8));
            SyslogMessage m = ((DecodeResult.Decoded<SyslogMessage>) r).value();
            for (int i = 0; i < (Integer) entry[0]; i++) {
                bodies.add(m);
            }
        }
        Random random = new Random(42);
        List<TelemetryEvent> out = new ArrayList<>();
        long t = 1_795_780_800_000L;
        for (int i = 0; i < 4096; i++) {
            int device = random.nextInt(200);
            TelemetryEvent.Builder e = TelemetryEvent.newBuilder().setEventId("ev-" + i)
                    .setExporter(Endpoint.newBuilder().setAddress("10.0." + device / 256 + "." + device % 256))
                    .setDevice(DeviceIdentity.newBuilder().setName("dev" + device))
                    .setReceiveTimeUnixNanos((t + i) * 1_000_000L);
            int kind = random.nextInt(100);
            if (kind < 75) {
                e.setSyslog(bodies.get(random.nextInt(bodies.size())));
            } else if (kind < 90) {
                String[] oids = {"1.3.6.1.6.3.1.1.5.3", "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.4.1.9999.3.0.1", "1.3.6.1.4.1.9999.3.0.2",
                    "1.3.6.1.4.1.2636.4.1.1", "1.3.6.1.2.1.15.0.2"};
                String oid = oids[random.nextInt(oids.length)];
                int ifIndex = random.nextInt(48);
                e.setTrap(SnmpTrap.newBuilder().setTrapOid(oid)
                        .addVarbinds(VarBind.newBuilder().setOid("1.3.6.1.2.1.2.2.1.1." + ifIndex).setName("IF-MIB::ifIndex." + ifIndex)
                                .setInteger(ifIndex))
                        .addVarbinds(VarBind.newBuilder().setName("IF-MIB::ifOperStatus." + ifIndex).setInteger(2).setDisplay("down(2)")));
            } else {
                int dst = random.nextInt(1000);
                e.setFlow(FlowRecord.newBuilder()
                        .setSrcAddress(ByteString.copyFrom(new byte[] {10, 1, (byte) random.nextInt(256), (byte) random.nextInt(256)}))
                        .setDstAddress(ByteString.copyFrom(new byte[] {(byte) 203, 0, (byte) (dst / 256), (byte) dst}))
                        .setDstPort(random.nextBoolean() ? 443 : 8000 + random.nextInt(10)).setIpProtocol(6)
                        .setBytes(1500).setPackets(1).setSamplingRate(1000).setBytesScaled(1_500_000).setPacketsScaled(1000));
            }
            out.add(e.build());
        }
        Collections.shuffle(out, random);
        return out.toArray(new TelemetryEvent[0]);
    }

    /** Which rules an event matches (index lookup, CEL, group labels, fingerprint). */
    @Benchmark
    public void match(Blackhole bh) {
        int i = next;
        next = i + 1 == events.length ? 0 : i + 1;
        matcher.match(events[i], refs[i], (fp, m) -> bh.consume(m));
    }

    /** Match, then the evaluator's state update and any transitions. */
    @Benchmark
    public void matchAndEvaluate(Blackhole bh) {
        int i = next;
        next = i + 1 == events.length ? 0 : i + 1;
        long t = ++clock;
        matcher.match(events[i], refs[i], (fp, m) -> evaluator.onMatch(fp, m, t, t, access,
                (f, transition, cause) -> bh.consume(transition)));
    }
}
