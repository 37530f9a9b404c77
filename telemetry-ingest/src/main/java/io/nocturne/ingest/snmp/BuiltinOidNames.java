package io.nocturne.ingest.snmp;

import java.util.HashMap;
import java.util.Map;

/**
 * The few names every trap receiver needs without any MIB loaded: the SNMPv2-MIB generic
 * traps (RFC 3418 / RFC 3584 §3.1 snmpTraps), the notification objects sysUpTime,
 * snmpTrapOID, snmpTrapEnterprise, snmpTrapAddress and snmpTrapCommunity, and IF-MIB
 * (RFC 2863) linkDown/linkUp with the interface objects they carry. A full MIB loader
 * replaces it.
 */
public final class BuiltinOidNames implements OidNames {

    /** The longest OID prefix is looked up first, so instances resolve to their object. */
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Map<Long, String>> enums = new HashMap<>();

    public static final BuiltinOidNames INSTANCE = new BuiltinOidNames();

    private BuiltinOidNames() {
        String v2 = "SNMPv2-MIB::";
        names.put("1.3.6.1.2.1.1.3", v2 + "sysUpTime");
        names.put("1.3.6.1.6.3.1.1.4.1", v2 + "snmpTrapOID");
        names.put("1.3.6.1.6.3.1.1.4.3", v2 + "snmpTrapEnterprise");
        names.put("1.3.6.1.6.3.1.1.5.1", v2 + "coldStart");
        names.put("1.3.6.1.6.3.1.1.5.2", v2 + "warmStart");
        names.put("1.3.6.1.6.3.1.1.5.5", v2 + "authenticationFailure");
        // RFC 3584 §2.1 SNMP-COMMUNITY-MIB objects appended to translated v1 traps.
        names.put("1.3.6.1.6.3.18.1.3", "SNMP-COMMUNITY-MIB::snmpTrapAddress");
        names.put("1.3.6.1.6.3.18.1.4", "SNMP-COMMUNITY-MIB::snmpTrapCommunity");
        String ifMib = "IF-MIB::";
        names.put("1.3.6.1.6.3.1.1.5.3", ifMib + "linkDown");
        names.put("1.3.6.1.6.3.1.1.5.4", ifMib + "linkUp");
        names.put("1.3.6.1.2.1.2.2.1.1", ifMib + "ifIndex");
        names.put("1.3.6.1.2.1.2.2.1.2", ifMib + "ifDescr");
        names.put("1.3.6.1.2.1.2.2.1.7", ifMib + "ifAdminStatus");
        names.put("1.3.6.1.2.1.2.2.1.8", ifMib + "ifOperStatus");
        names.put("1.3.6.1.2.1.31.1.1.1.1", ifMib + "ifName");
        names.put("1.3.6.1.2.1.31.1.1.1.18", ifMib + "ifAlias");
        enums.put("1.3.6.1.2.1.2.2.1.7", Map.of(1L, "up", 2L, "down", 3L, "testing"));
        enums.put("1.3.6.1.2.1.2.2.1.8", Map.of(1L, "up", 2L, "down", 3L, "testing", 4L, "unknown",
                5L, "dormant", 6L, "notPresent", 7L, "lowerLayerDown"));
    }

    @Override
    public String name(String oid) {
        String exact = names.get(oid);
        if (exact != null) {
            return exact;
        }
        for (int dot = oid.lastIndexOf('.'); dot > 0; dot = oid.lastIndexOf('.', dot - 1)) {
            String object = names.get(oid.substring(0, dot));
            if (object != null) {
                return object + oid.substring(dot);
            }
        }
        return null;
    }

    @Override
    public String enumLabel(String oid, long value) {
        for (int end = oid.length(); end > 0; end = oid.lastIndexOf('.', end - 1)) {
            Map<Long, String> labels = enums.get(oid.substring(0, end));
            if (labels != null) {
                String label = labels.get(value);
                return label == null ? null : label + "(" + value + ")";
            }
        }
        return null;
    }
}
