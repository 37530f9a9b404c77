package io.nocturne.deploy;

import io.nocturne.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nocturne up}: the whole pipeline in one command. Starts the embedded single-node
 * Kafka broker (data kept in {@code <data-dir>/kafka}; formatted only the first time) unless
 * {@code KAFKA_BOOTSTRAP_SERVERS} names a cluster, then telemetry-ingest and alert-engine as
 * child processes; prints where everything listens once all report healthy. Ctrl-C (or
 * SIGTERM) stops the services, then the broker; a service that dies takes the launcher down
 * with a non-zero exit, so a supervisor sees it.
 */
public final class NocturneLauncher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NocturneLauncher.class);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final LauncherOptions options;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private volatile boolean stopping;

    NocturneLauncher(LauncherOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        if (args.length == 0 || !"up".equals(args[0])) {
            System.err.println(LauncherOptions.USAGE);
            System.exit(2);
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(LauncherOptions.USAGE);
            return;
        }
        Path home = Path.of(System.getProperty("nocturne.home", ".")).toAbsolutePath().normalize();
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(home, Arrays.asList(args).subList(1, args.length), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("nocturne: " + e.getMessage());
            System.exit(2);
            return;
        }
        NocturneLauncher launcher = new NocturneLauncher(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stopping = true;
            LOG.info("stopping Nocturne");
            launcher.close();
            stopped.countDown();
        }, "nocturne-shutdown"));
        try {
            launcher.start();
            System.out.println(launcher.banner());
            String died = launcher.awaitServiceExit();
            if (died != null) {
                LOG.error("{} exited unexpectedly; stopping everything", died);
                System.exit(1);
            }
            stopped.await();
        } catch (Exception e) {
            if (!launcher.stopping) {
                LOG.error("Nocturne failed to start: {}", e.getMessage());
                System.exit(1);
            }
        }
    }

    /** Starts the broker (if embedded) and the services, and waits until all are healthy. */
    void start() throws IOException, InterruptedException {
        if (!Files.exists(options.rulesFile())) {
            throw new IOException("rules " + options.rulesFile() + " do not exist (--rules / NOCTURNE_RULES_FILE)");
        }
        if (options.bootstrapServers() == null) {
            Path kafkaDir = options.dataDir().resolve("kafka");
            LOG.info("starting the embedded Kafka broker on 127.0.0.1:{} (data in {})", options.kafkaPort(), kafkaDir);
            try {
                broker = EmbeddedKafkaBroker.start(kafkaDir, "127.0.0.1", options.kafkaPort(), false, Map.of());
            } catch (RuntimeException e) {
                throw new IOException("cannot start the embedded Kafka broker on port " + options.kafkaPort()
                        + " (in use? pass --kafka-port or KAFKA_BOOTSTRAP_SERVERS): " + e.getMessage(), e);
            }
            bootstrapServers = broker.bootstrapServers();
        } else {
            bootstrapServers = options.bootstrapServers();
            LOG.info("using the Kafka cluster at {} (no embedded broker)", bootstrapServers);
        }
        Map<String, String> ingest = new LinkedHashMap<>();
        ingest.put("nocturne.kafka.bootstrap-servers", bootstrapServers);
        ingest.put("micronaut.server.port", Integer.toString(options.ingestHttpPort()));
        ingest.put("nocturne.ingest.listeners.syslog-udp.port", Integer.toString(options.syslogPort()));
        ingest.put("nocturne.ingest.listeners.syslog-tcp.port", Integer.toString(options.syslogPort()));
        if (options.tls() != null) {
            ingest.put("nocturne.ingest.listeners.syslog-tls.enabled", "true");
            ingest.put("nocturne.ingest.listeners.syslog-tls.port", Integer.toString(options.tls().port()));
            ingest.put("nocturne.ingest.listeners.syslog-tls.tls-cert-file", options.tls().cert().toString());
            ingest.put("nocturne.ingest.listeners.syslog-tls.tls-key-file", options.tls().key().toString());
            if (options.tls().ca() != null) {
                ingest.put("nocturne.ingest.listeners.syslog-tls.tls-ca-file", options.tls().ca().toString());
            }
            ingest.put("nocturne.ingest.listeners.syslog-tls.tls-client-auth", options.tls().clientAuth());
        }
        services.add(ServiceProcess.start("telemetry-ingest", options.home().resolve("telemetry-ingest"),
                "io.nocturne.ingest.IngestApplication", options.ingestHttpPort(), ingest,
                jvmOptions("NOCTURNE_INGEST_JAVA_OPTS")));

        if (!options.alertEngine()) {
            LOG.info("--services ingest: the alert engine is not started");
            awaitHealthy();
            return;
        }
        Map<String, String> alert = new LinkedHashMap<>();
        alert.put("nocturne.kafka.bootstrap-servers", bootstrapServers);
        alert.put("micronaut.server.port", Integer.toString(options.alertHttpPort()));
        alert.put("nocturne.alert-engine.rules-path", options.rulesFile().toString());
        alert.put("nocturne.alert-engine.state-dir", options.dataDir().resolve("alert-engine-state").toString());
        alert.put("nocturne.alert-engine.external-url", "http://127.0.0.1:" + options.alertHttpPort());
        alert.put("nocturne.notify.webhook.url", options.webhookUrl());
        services.add(ServiceProcess.start("alert-engine", options.home().resolve("alert-engine"),
                "io.nocturne.alert.AlertEngineApplication", options.alertHttpPort(), alert,
                jvmOptions("NOCTURNE_ALERT_JAVA_OPTS")));
        awaitHealthy();
    }

    private static List<String> jvmOptions(String envName) {
        String configured = System.getenv(envName);
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.trim().split("\\s+"));
        }
        // A young generation sized for the ingest's allocation rate (~0.3 GB/s of short-lived
        // records at 300k flows/s): with the default ~20 MB eden the serial collector ran ~7
        // young collections a second and took ~10 % of ingest's CPU; with 128 MB, ~1 a second.
        return List.of("-Xms256m", "-Xmx768m", "-Xmn160m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        List<ServiceProcess> pending = new ArrayList<>(services);
        while (!pending.isEmpty()) {
            for (ServiceProcess s : List.copyOf(pending)) {
                if (!s.isAlive()) {
                    throw new IOException(s.name() + " exited during start (exit code " + s.process().exitValue()
                            + "); its log above says why");
                }
                if (s.isHealthy(http)) {
                    LOG.info("{} is up", s.name());
                    pending.remove(s);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("not healthy after " + READY_TIMEOUT.toSeconds() + " s: "
                        + pending.stream().map(ServiceProcess::name).toList());
            }
            Thread.sleep(250);
        }
    }

    /** Blocks until a service process ends; returns its name, or null when we are stopping anyway. */
    String awaitServiceExit() throws InterruptedException {
        while (!stopping) {
            for (ServiceProcess s : List.copyOf(services)) {
                if (stopping) {
                    return null;
                }
                if (!s.isAlive()) {
                    return s.name() + " (exit code " + s.process().exitValue() + ")";
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String banner() {
        String api = "http://127.0.0.1:" + options.alertHttpPort();
        String ingest = "http://127.0.0.1:" + options.ingestHttpPort();
        return String.join("\n",
                "",
                "Nocturne is up.",
                "  Kafka         " + bootstrapServers + (broker != null ? "  (embedded; data in " + broker.dataDir() + ")" : ""),
                "  syslog        udp/" + options.syslogPort() + " and tcp/" + options.syslogPort()
                        + " (RFC 6587 octet counting or LF) on all addresses"
                        + (options.tls() == null ? "" : "\n                tls/" + options.tls().port() + " (RFC 5425"
                                + (options.tls().ca() == null ? ")" : ", client certificates required)")),
                "  incidents     " + (options.alertEngine() ? api + "/api/v1/incidents" : "(alert engine not started: --services ingest)"),
                "  metrics       " + ingest + "/prometheus  (ingest)"
                        + (options.alertEngine() ? "\n                " + api + "/prometheus  (alert-engine)" : ""),
                "  health        " + ingest + "/health" + (options.alertEngine() ? "  " + api + "/health" : ""),
                "  rules         " + options.rulesFile(),
                "  webhook       " + (options.webhookUrl().isBlank() ? "(none: set --webhook-url)" : options.webhookUrl()),
                "",
                "Send a first message:",
                "  logger -n 127.0.0.1 -P " + options.syslogPort() + " -d -p local7.err \"%LINK-3-UPDOWN: Interface Gi0/1, changed state to down\"",
                "Ctrl-C stops everything.",
                "");
    }

    @Override
    public synchronized void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        services.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
