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
                "INET-ADDRESS-MIB", "SNMP-FRAMEWORK-MIB", "BGP4-MIB", "CISCO-SMI", "CISCO-ENVMON-MIB",
                "IP-MIB", "ENTITY-MIB", "ENTITY-SENSOR-MIB", "OSPF-MIB", "OSPF-TRAP-MIB", "HOST-RESOURCES-MIB",
                "HOST-RESOURCES-TYPES", "NOTIFICATION-LOG-MIB", "CISCO-TC", "CISCO-CONFIG-MAN-MIB", "JUNIPER-SMI",
                "JUNIPER-MIB");
        // every file index.txt lists is a module of that name, and nothing else is shipped
        assertThat(MibRegistry.shippedSources()).extracting(s -> s.name().substring(MibRegistry.SHIPPED_FOLDER.length()))
                .containsExactlyInAnyOrderElementsOf(SHIPPED.modules());
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
    void namesEntitySensorStatusAndTypeThroughItsTextualConvention() {
        // entPhySensorOperStatus.<entPhysicalIndex>: EntitySensorStatus TC
        String operStatus = "1.3.6.1.2.1.99.1.1.1.5.1001";
        assertThat(SHIPPED.name(operStatus)).isEqualTo("ENTITY-SENSOR-MIB::entPhySensorOperStatus.1001");
        assertThat(SHIPPED.enumLabel(operStatus, 1)).isEqualTo("ok(1)");
        assertThat(SHIPPED.enumLabel(operStatus, 2)).isEqualTo("unavailable(2)");
        assertThat(SHIPPED.enumLabel(operStatus, 3)).isEqualTo("nonoperational(3)");
        assertThat(SHIPPED.enumLabel(operStatus, 4)).isNull();
        // entPhySensorType: EntitySensorDataType TC
        assertThat(SHIPPED.name("1.3.6.1.2.1.99.1.1.1.1.1001")).isEqualTo("ENTITY-SENSOR-MIB::entPhySensorType.1001");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.99.1.1.1.1.1001", 8)).isEqualTo("celsius(8)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.99.1.1.1.1.1001", 12)).isEqualTo("truthvalue(12)");
        // ENTITY-MIB, which it builds on
        assertThat(SHIPPED.name("1.3.6.1.2.1.47.1.1.1.1.7.1001")).isEqualTo("ENTITY-MIB::entPhysicalName.1001");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.47.1.1.1.1.5.1001", 8)).isEqualTo("sensor(8)");
        assertThat(SHIPPED.name("1.3.6.1.2.1.47.2.0.1")).isEqualTo("ENTITY-MIB::entConfigChange");
    }

    @Test
    void namesHostResourcesStorageTypes() {
        // hrStorageType values are OBJECT IDENTIFIERs of HOST-RESOURCES-TYPES
        assertThat(SHIPPED.name("1.3.6.1.2.1.25.2.1.2")).isEqualTo("HOST-RESOURCES-TYPES::hrStorageRam");
        assertThat(SHIPPED.name("1.3.6.1.2.1.25.2.1.3")).isEqualTo("HOST-RESOURCES-TYPES::hrStorageVirtualMemory");
        assertThat(SHIPPED.name("1.3.6.1.2.1.25.2.1.4")).isEqualTo("HOST-RESOURCES-TYPES::hrStorageFixedDisk");
        assertThat(SHIPPED.name("1.3.6.1.2.1.25.2.1.10")).isEqualTo("HOST-RESOURCES-TYPES::hrStorageNetworkDisk");
        assertThat(SHIPPED.name("1.3.6.1.2.1.25.2.3.1.2.31")).isEqualTo("HOST-RESOURCES-MIB::hrStorageType.31");
        assertThat(SHIPPED.name("1.3.6.1.2.1.25.3.2.1.5.196608")).isEqualTo("HOST-RESOURCES-MIB::hrDeviceStatus.196608");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.25.3.2.1.5.196608", 5)).isEqualTo("down(5)");
    }

    @Test
    void namesOspfTrapsAndNeighbourStates() {
        assertThat(SHIPPED.name("1.3.6.1.2.1.14.16.2.2")).isEqualTo("OSPF-TRAP-MIB::ospfNbrStateChange");
        assertThat(SHIPPED.numericOid("OSPF-TRAP-MIB::ospfNbrStateChange")).isEqualTo("1.3.6.1.2.1.14.16.2.2");
        assertThat(SHIPPED.name("1.3.6.1.2.1.14.16.2.16")).isEqualTo("OSPF-TRAP-MIB::ospfIfStateChange");
        // ospfNbrState.<ospfNbrIpAddr>.<ospfNbrAddressLessIndex>
        assertThat(SHIPPED.name("1.3.6.1.2.1.14.10.1.6.192.0.2.7.0")).isEqualTo("OSPF-MIB::ospfNbrState.192.0.2.7.0");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.14.10.1.6.192.0.2.7.0", 8)).isEqualTo("full(8)");
    }

    @Test
    void namesNotificationLogVariables() {
        // nlmLogVariableID.<nlmLogName>.<nlmLogIndex>.<nlmLogVariableIndex>, nlmLogName "" here
        assertThat(SHIPPED.name("1.3.6.1.2.1.92.1.3.2.1.2.0.17.1"))
                .isEqualTo("NOTIFICATION-LOG-MIB::nlmLogVariableID.0.17.1");
        assertThat(SHIPPED.numericOid("NOTIFICATION-LOG-MIB::nlmLogVariableID")).isEqualTo("1.3.6.1.2.1.92.1.3.2.1.2");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.92.1.3.2.1.3.0.17.1", 7)).isEqualTo("objectId(7)");
    }

    @Test
    void namesCiscoConfigManEvents() {
        assertThat(SHIPPED.name("1.3.6.1.4.1.9.9.43.2.0.1")).isEqualTo("CISCO-CONFIG-MAN-MIB::ciscoConfigManEvent");
        assertThat(SHIPPED.name("1.3.6.1.4.1.9.9.43.2.0.2"))
                .isEqualTo("CISCO-CONFIG-MAN-MIB::ccmCLIRunningConfigChanged");
        // ccmHistoryEventConfigSource.<ccmHistoryEventIndex>: HistoryEventMedium TC
        assertThat(SHIPPED.name("1.3.6.1.4.1.9.9.43.1.1.6.1.4.12"))
                .isEqualTo("CISCO-CONFIG-MAN-MIB::ccmHistoryEventConfigSource.12");
        assertThat(SHIPPED.enumLabel("1.3.6.1.4.1.9.9.43.1.1.6.1.4.12", 3)).isEqualTo("running(3)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.4.1.9.9.43.1.1.6.1.3.12", 1)).isEqualTo("commandLine(1)");
    }

    @Test
    void namesJuniperChassisTrapsUnderTheJuniperEnterprise() {
        // juniperMIB is enterprises.2636; jnxTraps 4, jnxChassisTraps 1
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636")).isEqualTo("JUNIPER-SMI::juniperMIB");
        assertThat(SHIPPED.numericOid("JUNIPER-MIB::jnxPowerSupplyFailure")).isEqualTo("1.3.6.1.4.1.2636.4.1.1");
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.4.1.1")).isEqualTo("JUNIPER-MIB::jnxPowerSupplyFailure");
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.4.1.2")).isEqualTo("JUNIPER-MIB::jnxFanFailure");
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.4.1.3")).isEqualTo("JUNIPER-MIB::jnxOverTemperature");
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.4.1.5")).isEqualTo("JUNIPER-MIB::jnxFruRemoval");
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.4.2.1")).isEqualTo("JUNIPER-MIB::jnxPowerSupplyOK");
        // the objects they carry: jnxContentsDescr.<container>.<L1>.<L2>.<L3>, jnxOperatingState, jnxFruType
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.3.1.8.1.6.2.1.0.0"))
                .isEqualTo("JUNIPER-MIB::jnxContentsDescr.2.1.0.0");
        assertThat(SHIPPED.name("1.3.6.1.4.1.2636.3.1.13.1.6.2.1.0.0"))
                .isEqualTo("JUNIPER-MIB::jnxOperatingState.2.1.0.0");
        assertThat(SHIPPED.enumLabel("1.3.6.1.4.1.2636.3.1.13.1.6.2.1.0.0", 6)).isEqualTo("down(6)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.4.1.2636.3.1.15.1.6.7.1.0.0", 13)).isEqualTo("fan(13)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.4.1.2636.3.1.15.1.10.7.1.0.0", 14)).isEqualTo("physicalRemoval(14)");
    }

    @Test
    void namesIpMibObjectsAndTheirEnumerations() {
        assertThat(SHIPPED.name("1.3.6.1.2.1.4.1.0")).isEqualTo("IP-MIB::ipForwarding.0");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.4.1.0", 1)).isEqualTo("forwarding(1)");
        assertThat(SHIPPED.enumLabel("1.3.6.1.2.1.4.1.0", 2)).isEqualTo("notForwarding(2)");
        // ipAddressIfIndex.<ipv4(1)>.<4>.<192.0.2.1>
        assertThat(SHIPPED.name("1.3.6.1.2.1.4.34.1.3.1.4.192.0.2.1")).isEqualTo("IP-MIB::ipAddressIfIndex.1.4.192.0.2.1");
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
                ciscoModules OBJECT IDENTIFIER ::= { ciscoSite 12 }
                END
                """, false));
        MibRegistry registry = MibRegistry.of(sources);
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.name("1.3.6.1.4.1.9.1")).isEqualTo("CISCO-SMI::ciscoSite.1");
    }
}
