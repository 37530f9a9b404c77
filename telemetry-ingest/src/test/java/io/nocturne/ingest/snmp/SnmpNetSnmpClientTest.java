package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.nocturne.common.kafka.ProtobufSerde;
import io.nocturne.ingest.IngestService;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VarBind;
import io.nocturne.testkit.EmbeddedKafkaExtension;
import io.nocturne.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * net-snmp's own {@code snmptrap} and {@code snmpinform} against the ingest service as it runs
 * (Micronaut context, real UDP socket, embedded Kafka): every version, every auth and priv
 * protocol net-snmp 5.9 offers, INFORMs acknowledged only once stored, wrong credentials
 * counted and never published. Skipped where net-snmp is not installed.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SnmpNetSnmpClientTest {

    private static final ProtobufSerde<TelemetryEvent> EVENTS = ProtobufSerde.protobuf(TelemetryEvent.getDefaultInstance());
    /** The engine ID snmptrap claims with -e: each trap user is localized to it. */
    private static final String SENDER_ENGINE = "0x8000000001020304";
    private static final String MARKER_OID = "1.3.6.1.4.1.99999.1.0";

    private static ApplicationContext ctx;
    private static KafkaBroker kafka;
    private static String topic;
    private static int port;
    private static Path confDir;

    /** user → {auth protocol, priv protocol} as net-snmp spells them. */
    static Stream<Arguments> v3Users() {
        return Stream.of(
                Arguments.of("md5user", "MD5", null), Arguments.of("shauser", "SHA", null),
                Arguments.of("sha224user", "SHA-224", null), Arguments.of("sha256user", "SHA-256", null),
                Arguments.of("sha384user", "SHA-384", null), Arguments.of("sha512user", "SHA-512", null),
                Arguments.of("desuser", "SHA", "DES"), Arguments.of("aesuser", "SHA", "AES"),
                Arguments.of("aes192user", "SHA-256", "AES-192"), Arguments.of("aes256user", "SHA-512", "AES-256"),
                Arguments.of("md5desuser", "MD5", "DES"));
    }

    @BeforeAll
    static void start(KafkaBroker broker) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/snmptrap")) && Files.isExecutable(Path.of("/usr/bin/snmpinform")),
                "net-snmp snmptrap/snmpinform not installed (Debian package snmp)");
        kafka = broker;
        topic = KafkaBroker.uniqueTopic("traps");
        confDir = Files.createTempDirectory("snmpconf");
        // Several net-snmp runs would otherwise fight over /var/lib/snmp/snmpapp.conf.
        Files.writeString(confDir.resolve("snmp.conf"), "noPersistentLoad yes\nnoPersistentSave yes\n");
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("micronaut.server.port", -1);
        cfg.put("nocturne.kafka.bootstrap-servers", kafka.bootstrapServers());
        cfg.put("nocturne.topics.traps.name", topic);
        cfg.put("nocturne.topics.traps.partitions", 1);
        cfg.put("nocturne.topics.deadletter.name", KafkaBroker.uniqueTopic("dead"));
        cfg.put("nocturne.ingest.listeners.syslog-udp.enabled", false);
        cfg.put("nocturne.ingest.listeners.syslog-tcp.enabled", false);
        cfg.put("nocturne.ingest.listeners.snmp-traps.bind-address", "127.0.0.1");
        cfg.put("nocturne.ingest.listeners.snmp-traps.port", 0);
        cfg.put("nocturne.ingest.listeners.snmp-traps.sockets", 1);
        cfg.put("nocturne.ingest.snmp.communities", List.of("public", "noc-ro"));
        cfg.put("nocturne.ingest.snmp.engine-id", "0x80001370046e6f637475726e652d74657374");
        for (Arguments a : v3Users().toList()) {
            String user = (String) a.get()[0];
            cfg.put("nocturne.ingest.snmp.users." + user + ".auth-protocol", a.get()[1]);
            cfg.put("nocturne.ingest.snmp.users." + user + ".auth-passphrase", "authpass123");
            if (a.get()[2] != null) {
                cfg.put("nocturne.ingest.snmp.users." + user + ".priv-protocol", a.get()[2]);
                cfg.put("nocturne.ingest.snmp.users." + user + ".priv-passphrase", "privpass123");
            }
            cfg.put("nocturne.ingest.snmp.users." + user + ".engine-ids", List.of(SENDER_ENGINE));
        }
        cfg.put("nocturne.ingest.snmp.users.informuser.auth-protocol", "SHA");
        cfg.put("nocturne.ingest.snmp.users.informuser.auth-passphrase", "authpass123");
        cfg.put("nocturne.ingest.snmp.users.informuser.priv-protocol", "AES");
        cfg.put("nocturne.ingest.snmp.users.informuser.priv-passphrase", "privpass123");
        ctx = ApplicationContext.run(EmbeddedServer.class, cfg).getApplicationContext();
        await().atMost(Duration.ofSeconds(60)).until(() -> ctx.getBean(IngestService.class).allListenersUp());
        port = ctx.getBean(IngestService.class).boundListeners().get("snmp-traps").getPort();
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
    }

    @Test
    void decodesAnSnmpV2cLinkDownWithNamesEnumsAndTheForwardedAgentAddress() throws Exception {
        String marker = marker();
        int exit = run("snmptrap", "-v", "2c", "-c", "public", target(), "12345", "1.3.6.1.6.3.1.1.5.3",
                "1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.2.1.2.2.1.7.3", "i", "1",
                "1.3.6.1.2.1.2.2.1.8.3", "i", "2", "1.3.6.1.6.3.18.1.3.0", "a", "192.0.2.77",
                "1.3.6.1.2.1.31.1.1.1.6.3", "C", "18446744073709551615", MARKER_OID, "s", marker);
        assertThat(exit).isZero();
        TelemetryEvent e = readOne(marker);
        assertThat(e.getExporter().getAddress()).isEqualTo("127.0.0.1");
        assertThat(e.getListener()).isEqualTo("snmp-traps");
        assertThat(e.getDevice().getAddress()).isEqualTo("192.0.2.77");
        SnmpTrap t = e.getTrap();
        assertThat(t.getVersion()).isEqualTo(SnmpTrap.Version.VERSION_V2C);
        assertThat(t.getPduType()).isEqualTo(SnmpTrap.PduType.PDU_TYPE_TRAP_V2);
        assertThat(t.getCommunity()).isEqualTo("public");
        assertThat(t.getTrapOid()).isEqualTo("1.3.6.1.6.3.1.1.5.3");
        assertThat(t.getTrapName()).isEqualTo("IF-MIB::linkDown");
        assertThat(t.getUptimeCentiseconds()).isEqualTo(12345);
        assertThat(t.getVarbindsList()).extracting(VarBind::getOid).containsExactly("1.3.6.1.2.1.2.2.1.1.3",
                "1.3.6.1.2.1.2.2.1.7.3", "1.3.6.1.2.1.2.2.1.8.3", "1.3.6.1.6.3.18.1.3.0", "1.3.6.1.2.1.31.1.1.1.6.3",
                MARKER_OID);
        VarBind oper = t.getVarbinds(2);
        assertThat(oper.getName()).isEqualTo("IF-MIB::ifOperStatus.3");
        assertThat(oper.getType()).isEqualTo(VarBind.Type.TYPE_INTEGER);
        assertThat(oper.getInteger()).isEqualTo(2);
        assertThat(oper.getDisplay()).isEqualTo("down(2)");
        assertThat(t.getVarbinds(1).getDisplay()).isEqualTo("up(1)");
        assertThat(t.getVarbinds(3).getType()).isEqualTo(VarBind.Type.TYPE_IP_ADDRESS);
        assertThat(t.getVarbinds(3).getName()).isEqualTo("SNMP-COMMUNITY-MIB::snmpTrapAddress.0");
        VarBind c64 = t.getVarbinds(4);
        assertThat(c64.getType()).isEqualTo(VarBind.Type.TYPE_COUNTER64);
        assertThat(Long.toUnsignedString(c64.getUnsigned())).isEqualTo("18446744073709551615");
        assertThat(c64.getDisplay()).isEqualTo("18446744073709551615");
        assertThat(t.getVarbinds(5).getType()).isEqualTo(VarBind.Type.TYPE_OCTET_STRING);
        assertThat(t.getVarbinds(5).getDisplay()).isEqualTo(marker);
    }

    @Test
    void namesATrapFromTheShippedMibsBeyondTheBuiltInTable() throws Exception {
        // BGP4-MIB (RFC 4273) bgpBackwardTransition with bgpPeerState idle(1): names and
        // enumerations come from the MIB registry, not from the built-in table.
        String marker = marker();
        int exit = run("snmptrap", "-v", "2c", "-c", "public", target(), "4242", "1.3.6.1.2.1.15.7.2",
                "1.3.6.1.2.1.15.3.1.14.192.0.2.9", "x", "0400", "1.3.6.1.2.1.15.3.1.2.192.0.2.9", "i", "1",
                MARKER_OID, "s", marker);
        assertThat(exit).isZero();
        SnmpTrap t = readOne(marker).getTrap();
        assertThat(t.getTrapName()).isEqualTo("BGP4-MIB::bgpBackwardTransition");
        assertThat(t.getVarbinds(0).getName()).isEqualTo("BGP4-MIB::bgpPeerLastError.192.0.2.9");
        assertThat(t.getVarbinds(1).getName()).isEqualTo("BGP4-MIB::bgpPeerState.192.0.2.9");
        assertThat(t.getVarbinds(1).getDisplay()).isEqualTo("idle(1)");
    }

    @Test
    void translatesAnSnmpV1EnterpriseSpecificTrapPerRfc3584AndKeepsTheV1Fields() throws Exception {
        String marker = marker();
        int exit = run("snmptrap", "-v", "1", "-c", "noc-ro", target(), "1.3.6.1.4.1.8072.2.3", "10.1.2.3", "6", "17",
                "4242", "1.3.6.1.4.1.99999.2.0", "x", "00FF10", MARKER_OID, "s", marker);
        assertThat(exit).isZero();
        TelemetryEvent e = readOne(marker);
        SnmpTrap t = e.getTrap();
        assertThat(t.getVersion()).isEqualTo(SnmpTrap.Version.VERSION_V1);
        assertThat(t.getPduType()).isEqualTo(SnmpTrap.PduType.PDU_TYPE_TRAP_V1);
        assertThat(t.getCommunity()).isEqualTo("noc-ro");
        assertThat(t.getV1Enterprise()).isEqualTo("1.3.6.1.4.1.8072.2.3");
        assertThat(t.getV1AgentAddress()).isEqualTo("10.1.2.3");
        assertThat(t.getV1GenericTrap()).isEqualTo(6);
        assertThat(t.getV1SpecificTrap()).isEqualTo(17);
        assertThat(t.getUptimeCentiseconds()).isEqualTo(4242);
        assertThat(t.getTrapOid()).isEqualTo("1.3.6.1.4.1.8072.2.3.0.17");
        assertThat(e.getDevice().getAddress()).isEqualTo("10.1.2.3");
        assertThat(e.getExporter().getAddress()).isEqualTo("127.0.0.1");
        assertThat(t.getVarbindsList()).extracting(VarBind::getOid).containsExactly("1.3.6.1.4.1.99999.2.0",
                MARKER_OID, "1.3.6.1.6.3.18.1.3.0", "1.3.6.1.6.3.18.1.4.0", "1.3.6.1.6.3.1.1.4.3.0");
        assertThat(t.getVarbinds(0).getDisplay()).isEqualTo("00:ff:10");
        assertThat(t.getVarbinds(2).getIpAddress()).isEqualTo("10.1.2.3");
        assertThat(t.getVarbinds(4).getObjectId()).isEqualTo("1.3.6.1.4.1.8072.2.3");
    }

    @Test
    void mapsAnSnmpV1GenericLinkDownToTheSnmpTrapsOid() throws Exception {
        String marker = marker();
        assertThat(run("snmptrap", "-v", "1", "-c", "public", target(), "1.3.6.1.4.1.9", "10.1.2.4", "2", "0", "77",
                "1.3.6.1.2.1.2.2.1.1.7", "i", "7", MARKER_OID, "s", marker)).isZero();
        SnmpTrap t = readOne(marker).getTrap();
        assertThat(t.getV1GenericTrap()).isEqualTo(2);
        assertThat(t.getTrapOid()).isEqualTo("1.3.6.1.6.3.1.1.5.3");
        assertThat(t.getTrapName()).isEqualTo("IF-MIB::linkDown");
        assertThat(t.getVarbinds(0).getName()).isEqualTo("IF-MIB::ifIndex.7");
    }

    @Test
    void acknowledgesAnSnmpV2cInformOnlyAfterKafkaStoredIt() throws Exception {
        String marker = marker();
        double before = counter("nocturne_ingest_snmp_inform_responses_total{listener=\"snmp-traps\"}");
        // snmpinform exits 0 only when it received the Response-PDU.
        int exit = run("snmpinform", "-v", "2c", "-c", "public", "-t", "5", "-r", "0", target(), "555",
                "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.2.1.2.2.1.1.3", "i", "3", MARKER_OID, "s", marker);
        assertThat(exit).isZero();
        SnmpTrap t = readOne(marker).getTrap();
        assertThat(t.getPduType()).isEqualTo(SnmpTrap.PduType.PDU_TYPE_INFORM);
        assertThat(t.getTrapName()).isEqualTo("IF-MIB::linkUp");
        assertThat(t.getUptimeCentiseconds()).isEqualTo(555);
        assertThat(counter("nocturne_ingest_snmp_inform_responses_total{listener=\"snmp-traps\"}")).isEqualTo(before + 1);
    }

    @Test
    void acknowledgesAnSnmpV3AuthPrivInformWithNocturneAsTheAuthoritativeEngine() throws Exception {
        String marker = marker();
        double discoveries = counter("nocturne_ingest_snmp_reports_sent_total{listener=\"snmp-traps\",reason=\"engine_id_discovery\"}");
        int exit = run("snmpinform", "-v", "3", "-u", "informuser", "-l", "authPriv", "-a", "SHA", "-A", "authpass123",
                "-x", "AES", "-X", "privpass123", "-t", "5", "-r", "0", target(), "999", "1.3.6.1.6.3.1.1.5.3",
                "1.3.6.1.2.1.2.2.1.8.3", "i", "2", MARKER_OID, "s", marker);
        assertThat(exit).isZero();
        TelemetryEvent e = readOne(marker);
        SnmpTrap t = e.getTrap();
        assertThat(t.getVersion()).isEqualTo(SnmpTrap.Version.VERSION_V3);
        assertThat(t.getPduType()).isEqualTo(SnmpTrap.PduType.PDU_TYPE_INFORM);
        assertThat(t.getSecurityName()).isEqualTo("informuser");
        assertThat(t.getSecurityLevel()).isEqualTo(SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_PRIV);
        assertThat(t.getAuthoritativeEngineId().toByteArray())
                .isEqualTo(UsmUserConfig.parseEngineId("0x80001370046e6f637475726e652d74657374"));
        assertThat(t.getCommunity()).isEmpty();
        assertThat(t.getVarbinds(0).getDisplay()).isEqualTo("down(2)");
        assertThat(e.getDevice().getSnmpEngineId()).isEqualTo(t.getContextEngineId());
        assertThat(e.toString()).doesNotContain("authpass123").doesNotContain("privpass123");
        // net-snmp learned our engine ID from a Report (RFC 3414 §4).
        assertThat(counter("nocturne_ingest_snmp_reports_sent_total{listener=\"snmp-traps\",reason=\"engine_id_discovery\"}"))
                .isGreaterThan(discoveries);
    }

    @ParameterizedTest(name = "{0}: auth {1}, priv {2}")
    @MethodSource("v3Users")
    void decodesSnmpV3TrapsWithEveryAuthAndPrivProtocol(String user, String auth, String priv) throws Exception {
        String marker = marker();
        List<String> cmd = new ArrayList<>(List.of("snmptrap", "-v", "3", "-e", SENDER_ENGINE, "-u", user, "-l",
                priv == null ? "authNoPriv" : "authPriv", "-a", auth, "-A", "authpass123"));
        if (priv != null) {
            cmd.addAll(List.of("-x", priv, "-X", "privpass123"));
        }
        cmd.addAll(List.of(target(), "321", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker));
        assertThat(run(cmd.toArray(String[]::new))).isZero();
        TelemetryEvent e = readOne(marker);
        SnmpTrap t = e.getTrap();
        assertThat(t.getVersion()).isEqualTo(SnmpTrap.Version.VERSION_V3);
        assertThat(t.getPduType()).isEqualTo(SnmpTrap.PduType.PDU_TYPE_TRAP_V2);
        assertThat(t.getSecurityName()).isEqualTo(user);
        assertThat(t.getSecurityLevel()).isEqualTo(priv == null ? SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_NO_PRIV
                : SnmpTrap.SecurityLevel.SECURITY_LEVEL_AUTH_PRIV);
        assertThat(t.getAuthoritativeEngineId().toByteArray()).isEqualTo(UsmUserConfig.parseEngineId(SENDER_ENGINE));
        assertThat(e.getDevice().getSnmpEngineId().toByteArray()).isEqualTo(UsmUserConfig.parseEngineId(SENDER_ENGINE));
        assertThat(t.getTrapName()).isEqualTo("SNMPv2-MIB::coldStart");
        assertThat(t.getUptimeCentiseconds()).isEqualTo(321);
        assertThat(t.getVarbinds(0).getDisplay()).isEqualTo(marker);
    }

    @Test
    void countsWrongCredentialsAndPublishesNothing() throws Exception {
        String marker = marker();
        String reason = "nocturne_ingest_snmp_rejected_total{listener=\"snmp-traps\",reason=\"%s\"}";
        double community = counter(reason.formatted("unknown_community"));
        double digest = counter(reason.formatted("wrong_digest"));
        double user = counter(reason.formatted("unknown_user"));
        double engine = counter(reason.formatted("unknown_engine_id"));
        double decrypt = counter(reason.formatted("decryption_failure"));
        double level = counter(reason.formatted("unsupported_security_level"));
        run("snmptrap", "-v", "2c", "-c", "private", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker);
        run("snmptrap", "-v", "3", "-e", SENDER_ENGINE, "-u", "shauser", "-l", "authNoPriv", "-a", "SHA", "-A",
                "wrongpass123", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker);
        run("snmptrap", "-v", "3", "-e", SENDER_ENGINE, "-u", "nobody", "-l", "authNoPriv", "-a", "SHA", "-A",
                "authpass123", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker);
        run("snmptrap", "-v", "3", "-e", "0x8000000001999999", "-u", "shauser", "-l", "authNoPriv", "-a", "SHA", "-A",
                "authpass123", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker);
        run("snmptrap", "-v", "3", "-e", SENDER_ENGINE, "-u", "aesuser", "-l", "authPriv", "-a", "SHA", "-A",
                "authpass123", "-x", "AES", "-X", "wrongpriv123", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker);
        run("snmptrap", "-v", "3", "-e", SENDER_ENGINE, "-u", "aesuser", "-l", "authNoPriv", "-a", "SHA", "-A",
                "authpass123", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker);
        // An INFORM nobody may send is never acknowledged.
        assertThat(run("snmpinform", "-v", "2c", "-c", "private", "-t", "1", "-r", "0", target(), "1",
                "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s", marker)).isNotZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter(reason.formatted("unknown_community"))).isEqualTo(community + 2);
            assertThat(counter(reason.formatted("wrong_digest"))).isEqualTo(digest + 1);
            assertThat(counter(reason.formatted("unknown_user"))).isEqualTo(user + 1);
            assertThat(counter(reason.formatted("unknown_engine_id"))).isEqualTo(engine + 1);
            assertThat(counter(reason.formatted("decryption_failure"))).isEqualTo(decrypt + 1);
            assertThat(counter(reason.formatted("unsupported_security_level"))).isEqualTo(level + 1);
        });
        // A good trap sent after the bad ones is read back; none of the bad ones is.
        String good = marker();
        assertThat(run("snmptrap", "-v", "2c", "-c", "public", target(), "1", "1.3.6.1.6.3.1.1.5.1", MARKER_OID, "s",
                good)).isZero();
        readOne(good);
        assertThat(read(marker, 1, Duration.ofSeconds(2))).isEmpty();
    }

    private static String marker() {
        return "nocturne-test-" + UUID.randomUUID();
    }

    private static String target() {
        return "udp:127.0.0.1:" + port;
    }

    private static TelemetryEvent readOne(String marker) {
        List<TelemetryEvent> events = read(marker, 1, Duration.ofSeconds(30));
        assertThat(events).as("trap with marker %s on Kafka", marker).hasSize(1);
        return events.get(0);
    }

    private static List<TelemetryEvent> read(String marker, int expected, Duration timeout) {
        return kafka.read(topic, EVENTS, expected, timeout, (ConsumerRecord<String, TelemetryEvent> r) ->
                r.value().getTrap().getVarbindsList().stream().anyMatch(vb -> vb.getDisplay().equals(marker)))
                .stream().map(ConsumerRecord::value).toList();
    }

    private static int run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SNMPCONFPATH", confDir.toString());
        pb.environment().put("MIBS", "");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + " → " + p.exitValue() + ": " + out);
        }
        return p.exitValue();
    }

    private static double counter(String series) {
        EmbeddedServer server = ctx.getBean(EmbeddedServer.class);
        String text;
        try (HttpClient client = HttpClient.create(server.getURL())) {
            text = client.toBlocking().retrieve("/prometheus");
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
