package io.nocturne.alert.rules.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.evaluation.EvaluationMetrics;
import io.nocturne.alert.evaluation.EvaluationTopology;
import io.nocturne.alert.rules.Rule;
import io.nocturne.alert.rules.RuleFileException;
import io.nocturne.alert.rules.RuleFileLoader;
import io.nocturne.alert.rules.RuleRepository;
import io.nocturne.alert.rules.RuleSet;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.Topics;
import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.TelemetryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code nocturne rules test}: rule unit tests in the spirit of {@code promtool test rules}.
 * A test file names rule files and lists tests; each test feeds a series of events at given
 * times into the real evaluation topology (in-process, on Kafka Streams' TopologyTestDriver,
 * wall clock and event time both driven by the test) and checks which alerts are pending and
 * firing at given times.
 *
 * <pre>
 * rule_files: [../rules/interfaces.yml]      # relative to the test file
 * evaluation_interval: 1s                    # the sweep; default 1s
 * tests:
 *   - name: linkDown fires after 30s, linkUp clears
 *     events:
 *       - at: 0s
 *         event: {device: {name: core1}, trap: {trapName: "IF-MIB::linkDown", varbinds: [{name: "IF-MIB::ifIndex.3", integer: 3}]}}
 *       - at: 40s
 *         repeat: 3        # optional: this many events...
 *         every: 1s        # ...this far apart
 *         event: {...}     # a TelemetryEvent in proto3 JSON (field names as in telemetry.proto or lowerCamel)
 *     alerts:
 *       - at: 35s
 *         alertname: InterfaceDown   # optional: only this rule's alerts are compared
 *         firing:                    # exactly these firing alerts (full label sets); omit to not check
 *           - labels: {alertname: InterfaceDown, device: core1, if_index: "3", severity: major}
 *             annotations: {summary: "..."}   # optional: these must match exactly
 *         pending: []                # exactly these pending alerts; omit to not check
 * </pre>
 */
public final class RuleTestRunner {

    private static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    /** One test's outcome. */
    public record TestResult(String name, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** A test file's outcome: rule load problems, or each test's result. */
    public record FileResult(Path file, List<RuleFileException.Problem> problems, List<String> errors,
                             List<TestResult> tests) {
        public boolean passed() {
            return problems.isEmpty() && errors.isEmpty() && tests.stream().allMatch(TestResult::passed);
        }
    }

    private RuleTestRunner() {
    }

    /** The test files: the path itself, or the directory's *.yml / *.yaml files. */
    public static List<Path> testFiles(Path path) throws IOException {
        return RuleRepository.ruleFiles(path);
    }

    @SuppressWarnings("unchecked")
    public static FileResult run(Path file) {
        Map<String, Object> doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            doc = new Yaml(options).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new FileResult(file, List.of(), List.of(file + ": cannot read the test file: " + e.getMessage()), List.of());
        }
        if (doc == null) {
            return new FileResult(file, List.of(), List.of(file + ": empty test file"), List.of());
        }
        List<RuleFileException.Problem> problems = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (Object f : list(doc.get("rule_files"))) {
            rules.addAll(RuleRepository.loadAll(file.toAbsolutePath().getParent().resolve(String.valueOf(f)).normalize(), problems));
        }
        if (!problems.isEmpty()) {
            return new FileResult(file, problems, List.of(), List.of());
        }
        if (rules.isEmpty()) {
            return new FileResult(file, List.of(), List.of(file + ": rule_files names no rules"), List.of());
        }
        Duration interval = duration(doc.getOrDefault("evaluation_interval", "1s"), "evaluation_interval");
        Instant start = doc.containsKey("start") ? Instant.parse(String.valueOf(doc.get("start"))) : DEFAULT_START;
        RuleSet ruleSet = new RuleSet(rules, 1);
        List<TestResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int n = 0;
        for (Object t : list(doc.get("tests"))) {
            Map<String, Object> test = (Map<String, Object>) t;
            String name = String.valueOf(test.getOrDefault("name", "test " + n));
            n++;
            try {
                results.add(new TestResult(name, runOne(test, ruleSet, interval, start)));
            } catch (RuntimeException e) {
                errors.add(file + ": test '" + name + "': " + e.getMessage());
            }
        }
        if (results.isEmpty() && errors.isEmpty()) {
            errors.add(file + ": no tests");
        }
        return new FileResult(file, List.of(), errors, results);
    }

    private record Step(long at, int order, TelemetryEvent event, Map<String, Object> check) {
    }

    @SuppressWarnings("unchecked")
    private static List<String> runOne(Map<String, Object> test, RuleSet rules, Duration interval, Instant start) {
        long base = start.toEpochMilli();
        List<Step> steps = new ArrayList<>();
        int order = 0;
        int eventNo = 0;
        for (Object o : list(test.get("events"))) {
            Map<String, Object> e = (Map<String, Object>) o;
            long at = duration(e.getOrDefault("at", "0s"), "events[].at").toMillis();
            int repeat = Integer.parseInt(String.valueOf(e.getOrDefault("repeat", 1)));
            long every = e.containsKey("every") ? duration(e.get("every"), "events[].every").toMillis() : 0;
            for (int i = 0; i < repeat; i++) {
                long t = at + i * every;
                steps.add(new Step(t, order++, event((Map<String, Object>) e.get("event"), base + t, ++eventNo), null));
            }
        }
        for (Object o : list(test.get("alerts"))) {
            Map<String, Object> c = (Map<String, Object>) o;
            long at = duration(c.getOrDefault("at", "0s"), "alerts[].at").toMillis();
            steps.add(new Step(at, order++, null, c));
        }
        // Events at a time are fed before the checks at that time.
        steps.sort(Comparator.comparingLong(Step::at).thenComparing(s -> s.event() == null).thenComparingInt(Step::order));

        Map<RuleSource, Topic> sources = new EnumMap<>(RuleSource.class);
        sources.put(RuleSource.SYSLOG, Topics.SYSLOG);
        sources.put(RuleSource.TRAPS, Topics.TRAPS);
        sources.put(RuleSource.FLOWS, Topics.FLOWS);
        EvaluationMetrics metrics = new EvaluationMetrics(new SimpleMeterRegistry());
        var topology = EvaluationTopology.build(() -> rules, sources, Topics.ALERTS, Topics.INCIDENTS,
                new EvaluationTopology.Settings(interval, Duration.ofMinutes(5), 1), metrics);
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("nocturne-rules-test");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a state directory: " + e.getMessage(), e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "nocturne-rules-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        List<String> failures = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, start)) {
            ProtobufSerde<TelemetryEvent> eventSerde = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
            ProtobufSerde<AlertTransition> alertSerde = ProtobufSerde.protobuf(AlertTransition.getDefaultInstance());
            Map<RuleSource, TestInputTopic<String, TelemetryEvent>> inputs = new EnumMap<>(RuleSource.class);
            sources.forEach((s, topic) -> inputs.put(s, driver.createInputTopic(topic.name(), new StringSerializer(),
                    eventSerde.serializer())));
            TestOutputTopic<String, AlertTransition> alerts = driver.createOutputTopic(Topics.ALERTS.name(),
                    new StringDeserializer(), alertSerde.deserializer());
            Map<String, AlertTransition> latest = new TreeMap<>();
            long clock = 0;
            for (Step step : steps) {
                while (clock < step.at()) {
                    long advance = Math.min(interval.toMillis(), step.at() - clock);
                    driver.advanceWallClockTime(Duration.ofMillis(advance));
                    clock += advance;
                }
                if (step.event() != null) {
                    RuleSource source = switch (step.event().getBodyCase()) {
                        case SYSLOG -> RuleSource.SYSLOG;
                        case TRAP -> RuleSource.TRAPS;
                        case FLOW -> RuleSource.FLOWS;
                        case COUNTERS, BODY_NOT_SET -> null;
                    };
                    if (source == null) {
                        throw new IllegalArgumentException("an event needs a syslog, trap or flow body");
                    }
                    inputs.get(source).pipeInput(step.event().getExporter().getAddress(), step.event(), base + step.at());
                } else {
                    for (KeyValue<String, AlertTransition> kv : alerts.readKeyValuesToList()) {
                        latest.put(kv.key, kv.value);
                    }
                    check(step.check(), latest, failures);
                }
            }
        } finally {
            deleteQuietly(stateDir);
        }
        return failures;
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> c, Map<String, AlertTransition> latest, List<String> failures) {
        String at = String.valueOf(c.getOrDefault("at", "0s"));
        String alertname = c.containsKey("alertname") ? String.valueOf(c.get("alertname")) : null;
        for (String state : List.of("firing", "pending")) {
            if (!c.containsKey(state)) {
                continue;
            }
            AlertState wanted = state.equals("firing") ? AlertState.ALERT_STATE_FIRING : AlertState.ALERT_STATE_PENDING;
            List<String> expected = new ArrayList<>();
            Map<String, Map<String, String>> expectedAnnotations = new LinkedHashMap<>();
            for (Object o : list(c.get(state))) {
                Map<String, Object> a = (Map<String, Object>) o;
                String labels = labelText(strings((Map<String, Object>) a.get("labels")));
                expected.add(labels);
                if (a.containsKey("annotations")) {
                    expectedAnnotations.put(labels, strings((Map<String, Object>) a.get("annotations")));
                }
            }
            List<String> actual = new ArrayList<>();
            Map<String, Map<String, String>> actualAnnotations = new LinkedHashMap<>();
            for (AlertTransition t : latest.values()) {
                if (t.getState() == wanted && (alertname == null || alertname.equals(t.getRule()))) {
                    String labels = labelText(t.getLabelsMap());
                    actual.add(labels);
                    actualAnnotations.put(labels, new TreeMap<>(t.getAnnotationsMap()));
                }
            }
            expected.sort(null);
            actual.sort(null);
            if (!expected.equals(actual)) {
                failures.add("at " + at + (alertname == null ? "" : " (" + alertname + ")") + ": " + state
                        + " alerts differ\n      expected: " + expected + "\n      got:      " + actual);
                continue;
            }
            expectedAnnotations.forEach((labels, ann) -> {
                Map<String, String> got = actualAnnotations.get(labels);
                if (!new TreeMap<>(ann).equals(got)) {
                    failures.add("at " + at + ": annotations of " + labels + " differ\n      expected: " + new TreeMap<>(ann)
                            + "\n      got:      " + got);
                }
            });
        }
    }

    private static String labelText(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        new TreeMap<>(labels).forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    private static TelemetryEvent event(Map<String, Object> spec, long atMillis, int n) {
        if (spec == null) {
            throw new IllegalArgumentException("events[]: 'event' is required (a TelemetryEvent in proto3 JSON)");
        }
        TelemetryEvent.Builder b = TelemetryEvent.newBuilder();
        try {
            JsonFormat.parser().merge(json(spec), b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("events[]: not a TelemetryEvent: " + e.getMessage(), e);
        }
        if (b.getEventId().isEmpty()) {
            b.setEventId("test-event-" + n);
        }
        if (b.getExporter().getAddress().isEmpty()) {
            b.getExporterBuilder().setAddress(b.getDevice().getAddress().isEmpty() ? "192.0.2.1" : b.getDevice().getAddress());
        }
        if (b.getListener().isEmpty()) {
            b.setListener("test");
        }
        if (b.getReceiveTimeUnixNanos() == 0) {
            b.setReceiveTimeUnixNanos(atMillis * 1_000_000L);
        }
        return b.build();
    }

    /** YAML (maps, lists, scalars) as JSON text, for the protobuf JSON parser. */
    @SuppressWarnings("unchecked")
    static String json(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                sb.append(sb.length() > 1 ? "," : "").append(quote(String.valueOf(e.getKey()))).append(':').append(json(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (Object item : l) {
                sb.append(sb.length() > 1 ? "," : "").append(json(item));
            }
            return sb.append(']').toString();
        }
        if (o instanceof Number || o instanceof Boolean) {
            return String.valueOf(o);
        }
        return o == null ? "null" : quote(String.valueOf(o));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new TreeMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }

    private static List<?> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("expected a list, got " + o);
    }

    private static Duration duration(Object o, String field) {
        Duration d = RuleFileLoader.parseDuration(String.valueOf(o));
        if (d == null) {
            throw new IllegalArgumentException(field + ": not a duration: '" + o + "'");
        }
        return d;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
