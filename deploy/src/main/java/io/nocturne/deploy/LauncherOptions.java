package io.nocturne.deploy;

import io.nocturne.common.cli.CliOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code nocturne up} takes. Each option has an environment variable; the command line
 * wins over the environment, the environment over the default.
 *
 * @param home             the Nocturne checkout (the built modules live under it)
 * @param dataDir          embedded broker data and alert-engine state; kept across restarts
 * @param bootstrapServers an existing Kafka cluster; null to start the embedded broker
 * @param kafkaPort        the embedded broker's client port
 * @param rulesFile        the alert rules: a rule file or a directory of them
 * @param webhookUrl       where incidents are POSTed; empty for none
 * @param syslogPort       syslog UDP port
 * @param ingestHttpPort   ingest's /health and /prometheus
 * @param alertHttpPort    the API, /health and /prometheus of the alert engine
 * @param tls              syslog over TLS settings, or null when not enabled
 * @param alertEngine      whether to start the alert engine ({@code --services ingest} leaves it out,
 *                         e.g. to measure ingest and the broker alone)
 */
record LauncherOptions(Path home, Path dataDir, String bootstrapServers, int kafkaPort, Path rulesFile,
                       String webhookUrl, int syslogPort, int ingestHttpPort, int alertHttpPort, Tls tls,
                       boolean alertEngine) {

    /** The syslog-tls listener: certificate, key, optional client CA and its port. */
    record Tls(Path cert, Path key, Path ca, String clientAuth, int port) {
    }

    static final String USAGE = """
            usage: nocturne up [options]
              --data-dir DIR            broker data and engine state (NOCTURNE_DATA_DIR; default <home>/.nocturne)
              --bootstrap-servers H:P   use this Kafka cluster, start no broker (KAFKA_BOOTSTRAP_SERVERS)
              --kafka-port N            embedded broker port (NOCTURNE_KAFKA_PORT; default 9092)
              --rules PATH              alert rules, a file or directory (NOCTURNE_RULES_FILE; default <home>/deploy/config/rules)
              --webhook-url URL         POST incidents here (NOCTURNE_WEBHOOK_URL; default none)
              --syslog-port N           syslog UDP and TCP port (NOCTURNE_SYSLOG_PORT; default 1514)
              --ingest-http-port N      ingest health/metrics port (NOCTURNE_INGEST_HTTP_PORT; default 8081)
              --alert-http-port N       API and alert-engine health/metrics port (NOCTURNE_ALERT_HTTP_PORT; default 8080)
              --tls-cert FILE           enable syslog over TLS with this PEM certificate (NOCTURNE_TLS_CERT_FILE)
              --tls-key FILE            and this PKCS#8 PEM key (NOCTURNE_TLS_KEY_FILE)
              --tls-ca FILE             require client certificates signed by these CAs (NOCTURNE_TLS_CA_FILE)
              --syslog-tls-port N       syslog TLS port (NOCTURNE_SYSLOG_TLS_PORT; default 6514)
              --services LIST           which services to start: ingest,alert-engine or ingest
                                        (NOCTURNE_SERVICES; default ingest,alert-engine)
            """;

    static LauncherOptions parse(Path home, List<String> args, Map<String, String> env) {
        Map<String, String> v;
        try {
            v = CliOptions.parse(args, List.of("data-dir", "bootstrap-servers", "kafka-port", "rules", "webhook-url",
                    "syslog-port", "ingest-http-port", "alert-http-port", "tls-cert", "tls-key", "tls-ca",
                    "syslog-tls-port", "services"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + USAGE, e);
        }
        String bootstrap = pick(v, env, "bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null);
        return new LauncherOptions(home,
                Path.of(pick(v, env, "data-dir", "NOCTURNE_DATA_DIR", home.resolve(".nocturne").toString())).toAbsolutePath(),
                bootstrap == null || bootstrap.isBlank() ? null : bootstrap,
                port(pick(v, env, "kafka-port", "NOCTURNE_KAFKA_PORT", "9092"), "kafka-port"),
                Path.of(pick(v, env, "rules", "NOCTURNE_RULES_FILE", home.resolve("deploy/config/rules").toString()))
                        .toAbsolutePath(),
                pick(v, env, "webhook-url", "NOCTURNE_WEBHOOK_URL", ""),
                port(pick(v, env, "syslog-port", "NOCTURNE_SYSLOG_PORT", "1514"), "syslog-port"),
                port(pick(v, env, "ingest-http-port", "NOCTURNE_INGEST_HTTP_PORT", "8081"), "ingest-http-port"),
                port(pick(v, env, "alert-http-port", "NOCTURNE_ALERT_HTTP_PORT", "8080"), "alert-http-port"),
                tls(v, env),
                alertEngine(pick(v, env, "services", "NOCTURNE_SERVICES", "ingest,alert-engine")));
    }

    /** {@code ingest,alert-engine} → true, {@code ingest} → false; ingest is always needed. */
    private static boolean alertEngine(String services) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String s : services.split(",")) {
            if (!s.isBlank()) {
                names.add(s.trim());
            }
        }
        if (!names.contains("ingest") || !java.util.Set.of("ingest", "alert-engine").containsAll(names)) {
            throw new IllegalArgumentException("--services: '" + services
                    + "' must be ingest,alert-engine or ingest (the alert engine needs ingest's topics)");
        }
        return names.contains("alert-engine");
    }

    private static Tls tls(Map<String, String> v, Map<String, String> env) {
        String cert = pick(v, env, "tls-cert", "NOCTURNE_TLS_CERT_FILE", null);
        String key = pick(v, env, "tls-key", "NOCTURNE_TLS_KEY_FILE", null);
        String ca = pick(v, env, "tls-ca", "NOCTURNE_TLS_CA_FILE", null);
        if (cert == null && key == null) {
            if (ca != null) {
                throw new IllegalArgumentException("--tls-ca needs --tls-cert and --tls-key");
            }
            return null;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return new Tls(Path.of(cert).toAbsolutePath(), Path.of(key).toAbsolutePath(),
                ca == null ? null : Path.of(ca).toAbsolutePath(), ca == null ? "none" : "require",
                port(pick(v, env, "syslog-tls-port", "NOCTURNE_SYSLOG_TLS_PORT", "6514"), "syslog-tls-port"));
    }

    private static String pick(Map<String, String> args, Map<String, String> env, String option, String envName,
                               String fallback) {
        if (args.containsKey(option)) {
            return args.get(option);
        }
        String e = env.get(envName);
        return e != null && !e.isBlank() ? e : fallback;
    }

    private static int port(String value, String option) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not a port number (1-65535)");
        }
    }
}
