package io.nocturne.alert.rules;

import io.nocturne.telemetry.v1.TelemetryEvent;
import io.nocturne.telemetry.v1.VarBind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in labels a rule can group by, and how each is read from an event. A closed set
 * (anything else is a CEL expression in {@code group_by}): label cardinality stays what the
 * devices make it, never what a message's free text makes it.
 */
public final class GroupLabel {

    /** "neighbor 10.0.0.2 Up" (IOS BGP), "Nbr 10.0.0.2 on Gi0/1" (IOS OSPF), "peer 10.0.0.2" (Junos). */
    private static final Pattern SYSLOG_PEER = Pattern.compile("(?i)\\b(?:neighbor|nbr|peer)\\s+([0-9a-f]{0,4}[:.][0-9a-f:.]+)");

    private static final Map<String, Function<TelemetryEvent, String>> EXTRACTORS = new TreeMap<>();

    static {
        EXTRACTORS.put("device", e -> e.getDevice().getName().isEmpty() ? e.getExporter().getAddress() : e.getDevice().getName());
        EXTRACTORS.put("exporter", e -> e.getExporter().getAddress());
        EXTRACTORS.put("listener", TelemetryEvent::getListener);
        EXTRACTORS.put("hostname", e -> e.getSyslog().getHostname());
        EXTRACTORS.put("app_name", e -> e.getSyslog().getAppName());
        EXTRACTORS.put("msg_id", e -> e.getSyslog().getMsgId());
        EXTRACTORS.put("facility", e -> e.getSyslog().hasFacility() ? Integer.toString(e.getSyslog().getFacility()) : "");
        EXTRACTORS.put("severity", e -> e.getSyslog().hasSeverity() ? Integer.toString(e.getSyslog().getSeverity()) : "");
        EXTRACTORS.put("mnemonic", e -> e.getSyslog().getVendor().getMnemonic());
        EXTRACTORS.put("vendor", e -> e.getSyslog().getVendor().getVendor());
        EXTRACTORS.put("trap_oid", e -> e.getTrap().getTrapOid());
        EXTRACTORS.put("trap_name", e -> e.getTrap().getTrapName());
        EXTRACTORS.put("interface", GroupLabel::interfaceName);
        EXTRACTORS.put("if_index", GroupLabel::ifIndex);
        EXTRACTORS.put("peer", GroupLabel::peer);
        EXTRACTORS.put("src_address", e -> address(e.getFlow().getSrcAddress().toByteArray()));
        EXTRACTORS.put("dst_address", e -> address(e.getFlow().getDstAddress().toByteArray()));
        EXTRACTORS.put("dst_port", e -> e.hasFlow() ? Integer.toString(e.getFlow().getDstPort()) : "");
        EXTRACTORS.put("ip_protocol", e -> e.hasFlow() ? Integer.toString(e.getFlow().getIpProtocol()) : "");
    }

    private GroupLabel() {
    }

    public static boolean isKnown(String label) {
        return EXTRACTORS.containsKey(label);
    }

    public static String known() {
        return String.join(", ", EXTRACTORS.keySet());
    }

    public static String valueOf(String label, TelemetryEvent event) {
        return EXTRACTORS.get(label).apply(event);
    }

    static Function<TelemetryEvent, String> extractor(String label) {
        return EXTRACTORS.get(label);
    }

    /** Syslog: the first interface the message names. Traps: ifName, else ifDescr (IF-MIB). */
    static String interfaceName(TelemetryEvent e) {
        if (e.hasSyslog()) {
            return e.getSyslog().getInterfacesCount() > 0 ? e.getSyslog().getInterfaces(0) : "";
        }
        String descr = "";
        for (VarBind v : e.getTrap().getVarbindsList()) {
            if (v.getName().startsWith("IF-MIB::ifName.")) {
                return v.getDisplay();
            }
            if (descr.isEmpty() && v.getName().startsWith("IF-MIB::ifDescr.")) {
                descr = v.getDisplay();
            }
        }
        return descr;
    }

    /**
     * The ifIndex a trap is about: the instance of its first IF-MIB ifTable/ifXTable varbind
     * (RFC 2863 linkDown/linkUp carry ifIndex.N, ifAdminStatus.N, ifOperStatus.N), else of the
     * numeric ifEntry OID 1.3.6.1.2.1.2.2.1.C.N.
     */
    static String ifIndex(TelemetryEvent e) {
        for (VarBind v : e.getTrap().getVarbindsList()) {
            String name = v.getName();
            if (name.startsWith("IF-MIB::if")) {
                int dot = name.indexOf('.');
                if (dot > 0) {
                    return name.substring(dot + 1);
                }
            }
            if (v.getOid().startsWith("1.3.6.1.2.1.2.2.1.")) {
                String rest = v.getOid().substring("1.3.6.1.2.1.2.2.1.".length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    return rest.substring(dot + 1);
                }
            }
        }
        return "";
    }

    /**
     * The routing peer: BGP4-MIB bgpPeer* instance (the remote address, RFC 4273), OSPF-MIB
     * ospfNbrIpAddr value (RFC 4750), else "neighbor|Nbr|peer ADDRESS" in a syslog message.
     */
    static String peer(TelemetryEvent e) {
        if (e.hasTrap()) {
            for (VarBind v : e.getTrap().getVarbindsList()) {
                String name = v.getName();
                if (name.startsWith("BGP4-MIB::bgpPeer")) {
                    int dot = name.indexOf('.');
                    return dot > 0 ? name.substring(dot + 1) : "";
                }
                if (name.startsWith("OSPF-MIB::ospfNbrIpAddr") || name.startsWith("OSPF-MIB::ospfNbrRtrId")) {
                    return v.getValueCase() == VarBind.ValueCase.IP_ADDRESS ? v.getIpAddress() : v.getDisplay();
                }
            }
            return "";
        }
        Matcher m = SYSLOG_PEER.matcher(e.getSyslog().getMessage());
        return m.find() ? m.group(1).replaceAll("[.:]$", "") : "";
    }

    private static String address(byte[] raw) {
        if (raw.length != 4 && raw.length != 16) {
            return "";
        }
        try {
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
