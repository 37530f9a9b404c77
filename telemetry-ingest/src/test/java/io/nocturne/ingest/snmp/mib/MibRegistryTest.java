package io.nocturne.ingest.snmp.mib;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MibRegistryTest {

    private static final MibRegistry SHIPPED = MibRegistry.load(List.of());

    static Path vendorDir() {
        try {
            return Path.of(MibRegistryTest.class.getResource("/mibs/vendor-dir").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyShippedMibLoadsWithoutProblems() {
        assertThat(SHIPPED.problems()).isEmpty();
        assertThat(SHIPPED.modules()).contains("SNMPv2-SMI", "SNMPv2-TC", "SNMPv2-CONF", "SNMPv2-MIB",
                "RFC1155-SMI", "RFC-1212", "RFC-1215", "RFC1213-MIB", "IANAifType-MIB", "IF-MIB",
                "INET-ADDRESS-MIB", "SNMP-FRAMEWORK-MIB", "BGP4-MIB", "CISCO-SMI", "CISCO-ENVMON-MIB");
        assertThat(SHIPPED.size()).isGreaterThan(400);
    }

    @Test
    void namesTheStandardNotifications() {
        assertThat(SHIPPED.name("1.3.6.1.6.3.1.1.5.1")).isEqualTo("SNMPv2-MIB::coldStart");
        assertThat(SHIPPED.name("1.3.6.1.6.3.1.1.5.3")).isEqualTo("IF-MIB::linkDown");
        assertThat(SHIPPED.name(".1.3.6.1.6.3.1.1.5.4")).isEqualTo("IF-MIB::linkUp");
        assertThat(SHIPPED.name("1.3.6.1.6.3.1.1.4.1.0")).isEqualTo("SNMPv2-MIB::snmpTrapOID.0");
        assertThat(SHIPPED.name("1.3.6.1.2.1.1.3.0")).isEqualTo("SNMPv2-MIB::sysUpTime.0");
    }

    @Test
    void namesAnInstanceWithItsSuffixAndItsEnumeration() {
        assertThat(SHIPPED.name("1.3.6.1.2.1.2.2.1.8.3")).isEqualTo("IF-MIB::ifOperStatus.3");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.2.2.1.8.3", 2)).isEqualTo("down(2)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.2.2.1.7.3", 1)).isEqualTo("up(1)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.2.2.1.8.3", 99)).isNull();
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.2.2.1.1.3", 2)).as("ifIndex has no enumeration").isNull();
    }

    @Test
    void inheritsEnumerationsThroughTextualConventions() {
        // ifType's SYNTAX is IANAifType, a TEXTUAL-CONVENTION of IANAifType-MIB
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.2.2.1.3.1", 6)).isEqualTo("ethernetCsmacd(6)");
        // ifLinkUpDownTrapEnable: SNMPv2-TC-free enumeration in IF-MIB; ifPromiscuousMode: TruthValue
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.31.1.1.1.16.7", 1)).isEqualTo("true(1)");
        // CISCO-ENVMON-MIB ciscoEnvMonSupplyState: CiscoEnvMonState TC
        assertThat(SHIPPED.enumLabel("1.3.6.1.4.1.9.9.13.1.5.1.3.1", 3)).isEqualTo("critical(3)");
    }

    @Test
    void namesCiscoEnvmonNotificationsAndObjects() {
        assertThat(SHIPPED.name("1.3.6.1.4.1.9.9.13.3.0.9")).isEqualTo("CISCO-ENVMON-MIB::ciscoEnvMonSuppStatusChangeNotif");
        assertThat(SHIPPED.name("1.3.6.1.4.1.9.9.13.1.3.1.6.1004"))
                .isEqualTo("CISCO-ENVMON-MIB::ciscoEnvMonTemperatureState.1004");
        assertThat(SHIPPED.name("1.3.6.1.4.1.9.1.1208")).isEqualTo("CISCO-SMI::ciscoProducts.1208");
    }

    @Test
    void namesBgpTransitionsAndPeerStates() {
        assertThat(SHIPPED.name("1.3.6.1.2.1.15.7.2")).isEqualTo("BGP4-MIB::bgpBackwardTransition");
        assertThat(SHIPPED.name("1.3.6.1.2.1.15.0.2")).isEqualTo("BGP4-MIB::bgpBackwardTransNotification");
        assertThat(SHIPPED.name("1.3.6.1.2.1.15.3.1.2.192.0.2.1")).isEqualTo("BGP4-MIB::bgpPeerState.192.0.2.1");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.15.3.1.2.192.0.2.1", 6)).isEqualTo("established(6)");
        assertThat(SHIPPED.numericOid("BGP4-MIB::bgpBackwardTransNotification")).isEqualTo("1.3.6.1.2.1.15.0.2");
    }

    @Test
    void prefersTheSmiV2DefinitionWhenModulesShareAnOid() {
        // RFC1213-MIB (SMIv1) and IF-MIB / SNMPv2-MIB (SMIv2) both define these
        assertThat(SHIPPED.name("1.3.6.1.2.1.2.2.1.2.1")).isEqualTo("IF-MIB::ifDescr.1");
        assertThat(SHIPPED.name("1.3.6.1.2.1.1.1.0")).isEqualTo("SNMPv2-MIB::sysDescr.0");
        // only RFC1213-MIB defines the old routing table
        assertThat(SHIPPED.name("1.3.6.1.2.1.4.21.1.1.10.0.0.0")).isEqualTo("RFC1213-MIB::ipRouteDest.10.0.0.0");
    }

    @Test
    void fallsBackToTheLongestKnownPrefixForUnknownSubtrees() {
        assertThat(SHIPPED.name("1.3.6.1.4.1.99999.1.2")).isEqualTo("SNMPv2-SMI::enterprises.99999.1.2");
        assertThat(SHIPPED.name("1.3")).isEqualTo("SNMPv2-SMI::org");
    }

    @Test
    void answersNullForWhatIsNotANumericOid() {
        assertThat(SHIPPED.name("")).isNull();
        assertThat(SHIPPED.name(null)).isNull();
        assertThat(SHIPPED.name("7.7.7")).isNull();
        assertThat(SHIPPED.name("1.3.6.x")).isNull();
        assertThat(SHIPPED.name("1.3..6")).isNull();
        assertThat(SHIPPED.name("1.3.6.")).isNull();
        assertThat(SHIPPED.name("1.3.99999999999")).isNull();
        assertThat(SHIPPED.enumLabel("nonsense", 1)).isNull();
    }

    @Test
    void loadsOperatorDirectoriesAndPlacesV1TrapsPerRfc3584() {
        MibRegistry registry = MibRegistry.load(List.of(vendorDir()));
        // RFC 3584 §3.1.2: enterprise.0.specific-trap
        assertThat(registry.name("1.3.6.1.4.1.99999.0.5")).isEqualTo("ACME-TRAP-MIB::acmeUpsOnBattery");
        assertThat(registry.name("1.3.6.1.4.1.99999.1.1.0")).isEqualTo("ACME-TRAP-MIB::acmeUpsBatteryStatus.0");
        assertThat(registry.enumLabel("1.3.6.1.4.1.99999.1.1.0", 3)).isEqualTo("batteryLow(3)");
        assertThat(registry.name("1.3.6.1.4.1.99999.1.2.0")).isEqualTo("ACME-TRAP-MIB::acmeUpsName.0");
    }

    @Test
    void reportsABrokenFileWithItsLineWhileTheOthersLoad() {
        MibRegistry registry = MibRegistry.load(List.of(vendorDir()));
        Path broken = vendorDir().resolve("BROKEN-MIB.my");
        assertThat(registry.problems()).extracting(MibProblem::toString)
                .anySatisfy(p -> assertThat(p).isEqualTo(broken + ":15: expected a number or '}' in the OID value,"
                        + " found 'brokenOther'"));
        // the definition before the error is kept; the rest of the directory loads
        assertThat(registry.name("1.3.6.1.4.1.99998")).isEqualTo("BROKEN-MIB::broken");
        assertThat(registry.modules()).contains("ACME-TRAP-MIB", "ORPHAN-MIB", "IF-MIB");
        assertThat(registry.name("1.3.6.1.6.3.1.1.5.3")).isEqualTo("IF-MIB::linkDown");
    }

    @Test
    void reportsAMissingImportAndKeepsWhatResolves() {
        MibRegistry registry = MibRegistry.load(List.of(vendorDir()));
        Path orphan = vendorDir().resolve("ORPHAN-MIB");
        assertThat(registry.problems()).extracting(MibProblem::toString)
                .contains(orphan + ":1: ORPHAN-MIB imports from MISSING-VENDOR-SMI, which is not loaded");
        assertThat(registry.name("1.3.6.1.4.1.99997.1.0")).isEqualTo("ORPHAN-MIB::orphanKept.0");
        assertThat(registry.problems()).hasSize(2);
    }

    @Test
    void reportsADirectoryThatCannotBeRead() {
        MibRegistry registry = MibRegistry.load(List.of(Path.of("/nonexistent/mibs")));
        assertThat(registry.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("/nonexistent/mibs");
            assertThat(p.reason()).startsWith("cannot list the MIB directory");
        });
        assertThat(registry.name("1.3.6.1.6.3.1.1.5.3")).isEqualTo("IF-MIB::linkDown");
    }

    @Test
    void anOperatorModuleReplacesTheShippedOneOfTheSameName() {
        List<MibSource> sources = new java.util.ArrayList<>(MibRegistry.shippedSources());
        sources.add(new MibSource("site/CISCO-SMI", """
                CISCO-SMI DEFINITIONS ::= BEGIN
                IMPORTS enterprises FROM SNMPv2-SMI;
                ciscoSite OBJECT IDENTIFIER ::= { enterprises 9 }
                ciscoMgmt OBJECT IDENTIFIER ::= { ciscoSite 9 }
                END
                """, false));
        MibRegistry registry = MibRegistry.of(sources);
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.name("1.3.6.1.4.1.9.1")).isEqualTo("CISCO-SMI::ciscoSite.1");
    }
}
