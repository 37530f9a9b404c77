package io.nocturne.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

    private final Path home = Path.of("/opt/nocturne");

    @Test
    void defaultsStartTheEmbeddedBrokerWithDataUnderHome() {
        LauncherOptions o = LauncherOptions.parse(home, List.of(), Map.of());
        assertThat(o.bootstrapServers()).isNull();
        assertThat(o.dataDir()).isEqualTo(Path.of("/opt/nocturne/.nocturne"));
        assertThat(o.kafkaPort()).isEqualTo(9092);
        assertThat(o.rulesFile()).isEqualTo(Path.of("/opt/nocturne/deploy/config/rules"));
        assertThat(o.syslogPort()).isEqualTo(1514);
        assertThat(o.ingestHttpPort()).isEqualTo(8081);
        assertThat(o.alertHttpPort()).isEqualTo(8080);
        assertThat(o.webhookUrl()).isEmpty();
        assertThat(o.alertEngine()).isTrue();
    }

    @Test
    void servicesIngestLeavesTheAlertEngineOutAndNothingElseIsAccepted() {
        assertThat(LauncherOptions.parse(home, List.of("--services", "ingest"), Map.of()).alertEngine()).isFalse();
        assertThat(LauncherOptions.parse(home, List.of(), Map.of("NOCTURNE_SERVICES", "ingest")).alertEngine()).isFalse();
        assertThat(LauncherOptions.parse(home, List.of("--services=ingest, alert-engine"), Map.of()).alertEngine()).isTrue();
        assertThatThrownBy(() -> LauncherOptions.parse(home, List.of("--services", "alert-engine"), Map.of()))
                .hasMessageContaining("--services");
        assertThatThrownBy(() -> LauncherOptions.parse(home, List.of("--services", "ingest,broker"), Map.of()))
                .hasMessageContaining("--services");
    }

    @Test
    void anExistingClusterFromTheEnvironmentMeansNoEmbeddedBrokerAndFlagsBeatTheEnvironment() {
        LauncherOptions o = LauncherOptions.parse(home, List.of("--syslog-port=5514", "--webhook-url", "http://h/x"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092", "NOCTURNE_SYSLOG_PORT", "6514"));
        assertThat(o.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(o.syslogPort()).isEqualTo(5514);
        assertThat(o.webhookUrl()).isEqualTo("http://h/x");
    }

    @Test
    void tlsIsOffUnlessACertificateAndKeyAreGivenAndACaMeansClientCertificatesAreRequired() {
        assertThat(LauncherOptions.parse(home, List.of(), Map.of()).tls()).isNull();
        LauncherOptions.Tls tls = LauncherOptions.parse(home, List.of("--tls-cert", "/etc/n/s.pem", "--tls-key", "/etc/n/s.key"),
                Map.of()).tls();
        assertThat(tls).isEqualTo(new LauncherOptions.Tls(Path.of("/etc/n/s.pem"), Path.of("/etc/n/s.key"), null, "none", 6514));
        assertThat(LauncherOptions.parse(home, List.of(), Map.of("NOCTURNE_TLS_CERT_FILE", "/c.pem",
                "NOCTURNE_TLS_KEY_FILE", "/k.pem", "NOCTURNE_TLS_CA_FILE", "/ca.pem")).tls().clientAuth()).isEqualTo("require");
        assertThatThrownBy(() -> LauncherOptions.parse(home, List.of("--tls-cert", "/c.pem"), Map.of()))
                .hasMessage("--tls-cert and --tls-key go together");
    }

    @Test
    void rejectsUnknownOptionsAndBadPorts() {
        assertThatThrownBy(() -> LauncherOptions.parse(home, List.of("--colour", "red"), Map.of()))
                .hasMessageStartingWith("unknown option --colour");
        assertThatThrownBy(() -> LauncherOptions.parse(home, List.of("--syslog-port", "70000"), Map.of()))
                .hasMessage("--syslog-port: '70000' is not a port number (1-65535)");
        assertThatThrownBy(() -> LauncherOptions.parse(home, List.of("--rules"), Map.of()))
                .hasMessageStartingWith("--rules needs a value");
    }
}
