package io.nocturne.alert.perf;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nocturne.alert.AlertEngine;
import io.nocturne.alert.config.AlertEngineProperties;
import io.nocturne.alert.evaluation.EvaluationMetrics;
import io.nocturne.alert.evaluation.EvaluationTopology;
import io.nocturne.alert.rules.RuleRepository;
import io.nocturne.alert.rules.RuleSource;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.common.kafka.Topic;
import io.nocturne.common.kafka.Topics;
import io.nocturne.telemetry.v1.AlertState;
import io.nocturne.telemetry.v1.AlertTransition;
import io.nocturne.telemetry.v1.DeviceIdentity;
import io.nocturne.telemetry.v1.Endpoint;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VendorTag;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end evaluation latency at a fixed event rate: syslog events are produced to a real
 * (embedded) broker at {@code -Dnocturne.measure.rate} events/s for
 * {@code -Dnocturne.measure.seconds} (warm-up plus timed seconds at most 120), stamped with their receive time as ingest
 * stamps it; the evaluation topology runs the shipped rule pack in-process; a consumer reads
 * nocturne.alerts and times each event-caused transition from its event's receive time.
 * Two figures: receive → transition appended to nocturne.alerts (the broker's LogAppendTime:
 * the engine's part, before any transaction commits) and receive → transition readable on
 * nocturne.alerts (what a consumer sees; includes the commit interval under exactly-once).
 * A measurement, not a test: it asserts nothing and runs only when asked:
 *
 * <pre>
 * ./mvnw -q test -pl alert-engine -am -Dtest=EvaluationLatencyMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dnocturne.measure=true -Dnocturne.measure.rate=50000 -Dnocturne.measure.prewarm=1500000 \
 *     -Dnocturne.measure.warmup=10 -Dnocturne.measure.seconds=40 \
 *     -Dnocturne.measure.guarantee=at_least_once -Dnocturne.measure.commit-ms=1000 \
 *     "-Dnocturne.surefire.argLine=-Djava.io.tmpdir=$PWD/alert-engine/target/tmp -Xmx4g"
 * </pre>
 * (surefire writes the report to alert-engine/target/surefire-reports/*EvaluationLatencyMeasurement-output.txt)
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@EnabledIfSystemProperty(named = "nocturne.measure", matches = "true")
class EvaluationLatencyMeasurement {

    @Test
    void measure(KafkaBroker kafka, @TempDir Path dir) throws Exception {
        int rate = Integer.getInteger("nocturne.measure.rate", 50_000);
        int warmup = Integer.getInteger("nocturne.measure.warmup", 15);
        int seconds = Math.min(120 - warmup, Integer.getInteger("nocturne.measure.seconds", 30));
        String guarantee = System.getProperty("nocturne.measure.guarantee", "exactly_once_v2");
        int commitMs = Integer.getInteger("nocturne.measure.commit-ms", 100);
        String syslog = KafkaBroker.uniqueTopic("syslog");
        String alerts = KafkaBroker.uniqueTopic("alerts");
        Map<RuleSource, Topic> sources = new EnumMap<>(RuleSource.class);
        sources.put(RuleSource.SYSLOG, Topics.SYSLOG.withName(syslog));
        sources.put(RuleSource.TRAPS, Topics.TRAPS.withName(KafkaBroker.uniqueTopic("traps")));
        sources.put(RuleSource.FLOWS, Topics.FLOWS.withName(KafkaBroker.uniqueTopic("flows")));
        for (Topic t : sources.values()) {
            kafka.createTopic(t.name(), 6);
        }
        // Stamped by the broker when a transition is appended (LogAppendTime): "receive -> appended"
        // is the engine's own latency, before a transaction commits it (exactly-once) and before
        // a consumer polls it.
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(alerts, 6, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
        }
        String incidents = KafkaBroker.uniqueTopic("incidents");
        kafka.createTopic(incidents, 6);

        Path home = Path.of(System.getProperty("nocturne.home", "..")).toAbsolutePath().normalize();
        RuleRepository rules = new RuleRepository(home.resolve("deploy/config/rules"));
        if (!rules.reload().applied()) {
            throw new IllegalStateException("the shipped rule pack does not load");
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EvaluationMetrics metrics = new EvaluationMetrics(registry);
        AlertEngineProperties props = new AlertEngineProperties();
        props.setApplicationId(KafkaBroker.uniqueTopic("engine"));
        props.setStateDir(dir.resolve("state").toString());
        props.setProcessingGuarantee(guarantee);
        props.setStreamThreads(Integer.getInteger("nocturne.measure.threads", 1));
        Properties p = AlertEngine.streamsConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()), props);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        // Any Streams, consumer or producer setting to try: -Dnocturne.measure.streams.<key>=<value>
        // (e.g. -Dnocturne.measure.streams.num.stream.threads=2, ...streams.producer.linger.ms=20).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("nocturne.measure.streams."))
                .forEach(k -> p.put(k.substring("nocturne.measure.streams.".length()), System.getProperty(k)));
        System.out.println("streams config: " + new java.util.TreeMap<>(p));
        KafkaStreams streams = new KafkaStreams(EvaluationTopology.build(rules::current, sources, Topics.ALERTS.withName(alerts),
                Topics.INCIDENTS.withName(incidents), new EvaluationTopology.Settings(Duration.ofSeconds(Integer.getInteger("nocturne.measure.sweep-seconds", 5)), Duration.ofSeconds(30), 6,
                        "in-memory".equals(System.getProperty("nocturne.measure.store"))),
                metrics), p);
        boolean throughputMode = "throughput".equals(System.getProperty("nocturne.measure.mode"));
        Load load = new Load();
        if (throughputMode) {
            // Engine throughput alone: the events are on the broker before the engine starts.
            long n = (long) rate * seconds;
            long t0 = System.nanoTime();
            produce(kafka, syslog, load, 0, n);
            System.out.printf("pre-produced %d events in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            long startCpu = 0;
            long s0 = System.nanoTime();
            streams.start();
            var evaluated = registry.get("nocturne.alert.events.evaluated").tag("source", "syslog").counter();
            // The stream threads' CPU from the first sixth of the events on (or from
            // -Dnocturne.measure.skip-events): start-up (state stores, first rebalance) and the
            // JIT's first seconds left out. A third of the stream thread's samples were still in
            // C1 or interpreted code over a 600 k run: skip more for the C2 steady state.
            long warmEvents = Long.getLong("nocturne.measure.skip-events", n / 6);
            double warmAt = -1;
            long warmCpu = 0;
            while (evaluated.count() < n && System.nanoTime() - s0 < 180_000_000_000L) {
                Thread.sleep(5);
                if (warmAt < 0 && evaluated.count() >= warmEvents) {
                    warmAt = evaluated.count();
                    warmCpu = streamThreadCpuNanos();
                }
            }
            double secs = (System.nanoTime() - s0) / 1e9;
            long cpu = streamThreadCpuNanos();
            System.out.printf("engine: %.0f events evaluated in %.1f s (incl. start-up) = %.0f events/s%n",
                    evaluated.count(), secs, evaluated.count() / secs);
            System.out.printf("stream thread CPU: %.2f us/event over all events (incl. start-up), %.2f us/event after the first %.0f%n",
                    cpu / 1e3 / evaluated.count(), (cpu - warmCpu) / 1e3 / (evaluated.count() - warmAt), warmAt);
            printCpu(new StringBuilder());
            streams.close(Duration.ofSeconds(30));
            return;
        }
        // -Dnocturne.measure.prewarm=N: N events on the broker before the engine starts, all
        // evaluated before the timed load begins, so the JIT has compiled the engine's paths (as
        // in an engine that has been running for a while). Without it, the backlog the engine
        // builds while C2 compiles is part of what the run measures.
        long prewarm = Long.getLong("nocturne.measure.prewarm", 0);
        if (prewarm > 0) {
            produce(kafka, syslog, load, 0, prewarm);
        }
        streams.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (streams.state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        if (prewarm > 0) {
            var evaluatedSoFar = registry.get("nocturne.alert.events.evaluated").tag("source", "syslog").counter();
            long p0 = System.nanoTime();
            // A pre-warm that does not finish makes the run meaningless: fail rather than measure.
            org.awaitility.Awaitility.await("pre-warm of " + prewarm + " events").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(20)).until(() -> evaluatedSoFar.count() >= prewarm);
            System.out.printf("pre-warm: %.0f of %d events evaluated in %.1f s%n", evaluatedSoFar.count(), prewarm,
                    (System.nanoTime() - p0) / 1e9);
        }
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();

        Histogram visible = new Histogram(60_000_000_000L, 3);
        Histogram appended = new Histogram(60_000_000_000L, 3);
        // Only events received after the warm-up (JIT, caches, first rebalance) are timed.
        long measureFrom = (System.currentTimeMillis() + warmup * 1000L) * 1_000_000L;
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong transitions = new AtomicLong();
        // The slowest timed transition of each second of receive time: shows whether a tail is
        // spread out or comes in bursts (commits, sweeps, GC).
        java.util.concurrent.atomic.AtomicLongArray worstBySecond = new java.util.concurrent.atomic.AtomicLongArray(120);
        Thread reader = new Thread(() -> {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "measure");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            try (KafkaConsumer<String, AlertTransition> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    ProtobufSerde.protobuf(AlertTransition.getDefaultInstance()).deserializer())) {
                consumer.subscribe(Set.of(alerts));
                while (reading.get()) {
                    for (ConsumerRecord<String, AlertTransition> r : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.currentTimeMillis() * 1_000_000L;
                        AlertTransition t = r.value();
                        transitions.incrementAndGet();
                        // Event-caused transitions: evaluated at the event's time (sweeps evaluate later).
                        if (t.getState() != AlertState.ALERT_STATE_RESOLVED && t.getEvidenceCount() > 0) {
                            long received = t.getEvidence(t.getEvidenceCount() - 1).getReceiveTimeUnixNanos();
                            if (t.getEvaluatedAtUnixNanos() / 1_000_000 == received / 1_000_000 && received >= measureFrom) {
                                visible.recordValue(Math.max(0, now - received));
                                appended.recordValue(Math.max(0, r.timestamp() * 1_000_000L - received));
                                int second = (int) ((received - measureFrom) / 1_000_000_000L);
                                if (second < worstBySecond.length()) {
                                    worstBySecond.accumulateAndGet(second, now - received, Math::max);
                                }
                            }
                        }
                    }
                }
            }
        });
        reader.start();

        // The load: syslog from 2,000 devices; 1 % configuration changes from 100,000 others
        // (each device's first is an event-rule FIRING), 5 % link-down errors (DeviceErrorBurst
        // counting, InterfaceDownSyslog pending). Each record is a per-device template plus its
        // own id, receive time (and, for a configuration change, device): the generator shares
        // the engine's two cores, so it should cost as little of them as ingest's own encoder.
        Map<String, Object> pc = new HashMap<>();
        pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        // As ingest produces (IngestService): lz4, linger 20 ms, 128 KiB batches.
        pc.put(ProducerConfig.LINGER_MS_CONFIG, Integer.getInteger("nocturne.measure.generator.linger-ms", 20));
        pc.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        pc.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        long sent = 0;
        long start = System.nanoTime();
        long end = start + (warmup + seconds) * 1_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pc, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                long now = System.currentTimeMillis();
                while (sent < due) {
                    long n = prewarm + sent;
                    producer.send(new ProducerRecord<>(syslog, null, now, load.key(n), load.value(n, now), load.headers()));
                    sent++;
                }
                Thread.sleep(1);
            }
        }
        double achieved = sent / ((System.nanoTime() - start) / 1e9);
        Thread.sleep(Math.max(3_000, 3L * commitMs));
        reading.set(false);
        reader.join();

        StringBuilder report = new StringBuilder();
        report.append(String.format("rate %d/s target, %.0f/s achieved, %d events over %d s (%d s warm-up, then %d s timed);"
                + " guarantee %s, commit.interval.ms %d%n", rate, achieved, sent, warmup + seconds, warmup, seconds, guarantee, commitMs));
        report.append(String.format("events evaluated %.0f, transitions read %d, event-caused timed %d%n",
                registry.get("nocturne.alert.events.evaluated").tag("source", "syslog").counter().count(), transitions.get(),
                visible.getTotalCount()));
        report.append("latency (ms)                         p50      p99    p99.9      max\n");
        report.append(String.format("receive -> appended to alerts   %8.1f %8.1f %8.1f %8.1f  (broker's LogAppendTime: the engine's part)%n",
                appended.getValueAtPercentile(50) / 1e6, appended.getValueAtPercentile(99) / 1e6,
                appended.getValueAtPercentile(99.9) / 1e6, appended.getMaxValue() / 1e6));
        report.append(String.format("receive -> readable on alerts   %8.1f %8.1f %8.1f %8.1f  (read_committed consumer)%n",
                visible.getValueAtPercentile(50) / 1e6, visible.getValueAtPercentile(99) / 1e6,
                visible.getValueAtPercentile(99.9) / 1e6, visible.getMaxValue() / 1e6));
        report.append("slowest timed transition per second of receive time (ms):");
        for (int i = 0; i < seconds; i++) {
            report.append(i % 15 == 0 ? String.format("%n  t+%2d s:", i) : "").append(String.format(" %5d", worstBySecond.get(i) / 1_000_000));
        }
        report.append(String.format("%n"));
        // The stream thread's own view of where its stalls come from (Kafka Streams' thread metrics).
        report.append("stream thread (Kafka Streams metrics, whole run, ms):");
        streams.metrics().forEach((name, metric) -> {
            if ("stream-thread-metrics".equals(name.group()) && name.name().matches("(commit|poll|process|punctuate)-latency-(avg|max)")) {
                report.append(String.format(" %s %.1f", name.name().replace("-latency", ""), ((Number) metric.metricValue()).doubleValue()));
            }
        });
        report.append(String.format("%n"));
        report.append(String.format("GC during the load: %d collections, %d ms (pauses and concurrent cycles as the JVM counts them)%n",
                gcCount() - gcCount0, gcMillis() - gcMillis0));
        printCpu(report);
        streams.close(Duration.ofSeconds(30));
    }

    private static void produce(KafkaBroker kafka, String topic, Load load, long from, long count) {
        Map<String, Object> pc = new HashMap<>();
        pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        pc.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        pc.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        pc.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pc, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long n = from; n < from + count; n++) {
                long now = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic, null, now, load.key(n), load.value(n, now), load.headers()));
            }
        }
    }

    private static long gcCount() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** CPU time of the engine's stream threads (not their producers' I/O threads). */
    private static long streamThreadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            if (info != null && info.getThreadName().contains("-StreamThread-") && !info.getThreadName().endsWith("-producer")) {
                sum += Math.max(0, mx.getThreadCpuTime(id));
            }
        }
        return sum;
    }

    private static void printCpu(StringBuilder report) {
        // Who used the CPU (this JVM holds the broker, the load producer and the engine).
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info != null && cpu > 0) {
                byGroup.merge(info.getThreadName().replaceAll("[-_]?\\d+", "#"), cpu, Long::sum);
            }
        }
        report.append("CPU seconds by thread (live threads, top 12):\n");
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> report.append(String.format("  %7.1f  %s%n", e.getValue() / 1e9, e.getKey())));
        System.out.print(report);
    }


    private static final List<String> LINES = List.of(
            "Interface GigabitEthernet0/1, changed state to up",
            "Line protocol on Interface Ethernet7, changed state to up",
            "Built outbound TCP connection 4242 for outside:203.0.113.9/443 to inside:192.0.2.5/51234",
            "Accepted publickey for noc from 192.0.2.10 port 50514 ssh2");

    /** Configuration changes come from this many devices, in turn: none repeats within 10 M events. */
    private static final int CONFIG_DEVICES = 100_000;

    static TelemetryEvent event(long n, long nowMillis) {
        int kind = (int) (n % 100);
        int device = (int) (n % 2000);
        SyslogMessage.Builder s = SyslogMessage.newBuilder().setFacility(23).setHostname("dev" + device);
        String name = "dev" + device;
        if (kind == 0) {
            name = configDevice(n); // a first change opens an alert, later ones refresh it
            s.setSeverity(5).setMessage("Configured from console by admin on vty0")
                    .setVendor(VendorTag.newBuilder().setVendor("cisco").setFacility("SYS").setSeverity(5).setMnemonic("CONFIG_I"));
        } else if (kind < 6) {
            s.setSeverity(3).setMessage("Interface GigabitEthernet0/2, changed state to down")
                    .setVendor(VendorTag.newBuilder().setVendor("cisco").setFacility("LINK").setSeverity(3).setMnemonic("UPDOWN"))
                    .addInterfaces("GigabitEthernet0/2");
        } else {
            s.setSeverity(6).setMessage(LINES.get(kind % LINES.size())).setAppName(kind % 2 == 0 ? "sshd" : "");
        }
        return TelemetryEvent.newBuilder().setEventId("m-" + n)
                .setExporter(Endpoint.newBuilder().setAddress(exporter(device)).setPort(514))
                .setListener("syslog-udp").setReceiveTimeUnixNanos(nowMillis * 1_000_000L)
                .setDevice(DeviceIdentity.newBuilder().setName(name)).setSyslog(s).build();
    }

    private static String configDevice(long n) {
        return "cfg" + (n / 100) % CONFIG_DEVICES;
    }

    private static String exporter(int device) {
        return "10.9." + device / 256 + "." + device % 256;
    }

    /**
     * The records of {@link #event}, cheaply: what an event shares with every other event of its
     * device is serialized once (a template without id, receive time and device); a record is
     * the template followed by those three fields — protobuf merges concatenated messages, and
     * the template holds none of them, so the parse is exactly {@code event(n, now)} (checked
     * at construction). Keys and headers are the ones ingest writes: the exporter address as
     * UTF-8 and the serde's content-type and schema-version.
     */
    static final class Load {
        private final byte[][] templates = new byte[2000][];
        private final byte[][] keys = new byte[2000][];
        private final RecordHeaders headers = new RecordHeaders();

        Load() {
            ProtobufSerde<TelemetryEvent> serde = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
            for (int d = 0; d < 2000; d++) {
                templates[d] = event(d, 0).toBuilder().clearEventId().clearReceiveTimeUnixNanos().clearDevice().build().toByteArray();
                keys[d] = exporter(d).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            serde.serialize(headers, event(0, 0));
            for (long n = 0; n < 10_000; n += 37) {
                long now = System.currentTimeMillis();
                try {
                    if (!TelemetryEvent.parseFrom(value(n, now)).equals(event(n, now))) {
                        throw new IllegalStateException("the generator's record " + n + " is not event(" + n + ")");
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        byte[] key(long n) {
            return keys[(int) (n % 2000)];
        }

        Headers headers() {
            return headers;
        }

        byte[] value(long n, long nowMillis) {
            int device = (int) (n % 2000);
            byte[] template = templates[device];
            byte[] tail = TelemetryEvent.newBuilder().setEventId("m-" + n).setReceiveTimeUnixNanos(nowMillis * 1_000_000L)
                    .setDevice(DeviceIdentity.newBuilder().setName(n % 100 == 0 ? configDevice(n) : "dev" + device))
                    .build().toByteArray();
            byte[] value = java.util.Arrays.copyOf(template, template.length + tail.length);
            System.arraycopy(tail, 0, value, template.length, tail.length);
            return value;
        }
    }
}
