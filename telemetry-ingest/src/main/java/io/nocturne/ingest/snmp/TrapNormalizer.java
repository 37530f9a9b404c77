package io.nocturne.ingest.snmp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.nocturne.telemetry.v1.SnmpTrap;
import io.nocturne.telemetry.v1.VarBind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.ScopedPDU;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A decoded SNMP notification PDU → the normalized {@link SnmpTrap}: SNMPv1 Trap-PDUs are
 * translated to the SNMPv2 form (RFC 3584 §3.1) with their v1 fields kept; sysUpTime.0 and
 * snmpTrapOID.0 become fields; every other varbind keeps its OID, SMI type, typed value, the
 * name a MIB gives it and a human-readable rendering.
 */
final class TrapNormalizer {

    static final String SYS_UPTIME_0 = "1.3.6.1.2.1.1.3.0";
    static final String SNMP_TRAP_OID_0 = "1.3.6.1.6.3.1.1.4.1.0";
    /** RFC 3584 §2.1 SNMP-COMMUNITY-MIB snmpTrapAddress.0: the originating agent behind a proxy. */
    static final String SNMP_TRAP_ADDRESS_0 = "1.3.6.1.6.3.18.1.3.0";
    static final String SNMP_TRAP_COMMUNITY_0 = "1.3.6.1.6.3.18.1.4.0";
    static final String SNMP_TRAP_ENTERPRISE_0 = "1.3.6.1.6.3.1.1.4.3.0";
    /** RFC 3584 §3.1 (2): snmpTraps, the parent of the generic traps coldStart(1)…egpNeighborLoss(6). */
    static final String SNMP_TRAPS = "1.3.6.1.6.3.1.1.5";

    /** Distinct OIDs remembered with their text forms; emptied when full (instances are unbounded in principle). */
    static final int MAX_OID_TEXTS = 100_000;

    /** RFC 2578 §3.5: at most 128 sub-identifiers; longer OIDs (hostile or broken) are not cached. */
    static final int MAX_CACHED_OID_LENGTH = 128;

    /**
     * An OID's text forms, worked out once per distinct OID: the dotted form and the MIB name,
     * each also as UTF-8 bytes (protobuf copies a string field set from bytes, while a
     * {@code String} is UTF-8 encoded again at every serialization).
     */
    static final class OidText {
        private final String dotted;
        private final ByteString dottedUtf8;
        private final String name;
        private final ByteString nameUtf8;
        /** What the fast path asks of every varbind's OID, answered once per distinct OID. */
        private final boolean leading;
        private final boolean trapAddress;

        OidText(String dotted, ByteString dottedUtf8, String name, ByteString nameUtf8) {
            this.dotted = dotted;
            this.dottedUtf8 = dottedUtf8;
            this.name = name;
            this.nameUtf8 = nameUtf8;
            this.leading = SYS_UPTIME_0.equals(dotted) || SNMP_TRAP_OID_0.equals(dotted);
            this.trapAddress = SNMP_TRAP_ADDRESS_0.equals(dotted);
        }

        String dotted() {
            return dotted;
        }

        ByteString dottedUtf8() {
            return dottedUtf8;
        }

        String name() {
            return name;
        }

        ByteString nameUtf8() {
            return nameUtf8;
        }

        /** sysUpTime.0 or snmpTrapOID.0: the varbinds a v2 notification turns into fields. */
        boolean leading() {
            return leading;
        }

        /** snmpTrapAddress.0 (RFC 3584 §2.1): the originating device, when a proxy forwarded the trap. */
        boolean trapAddress() {
            return trapAddress;
        }

        @Override
        public String toString() {
            return name == null ? dotted : dotted + " (" + name + ")";
        }
    }

    /**
     * The device {@code vb} names as the trap's origin when it is snmpTrapAddress.0: its
     * IpAddress unless that is 0.0.0.0 (an agent that does not know), else null.
     */
    static String originOf(VarBind vb) {
        return vb.hasIpAddress() && !"0.0.0.0".equals(vb.getIpAddress()) ? vb.getIpAddress() : null;
    }

    private final OidNames names;
    private final java.util.concurrent.ConcurrentHashMap<OID, OidText> texts =
            new java.util.concurrent.ConcurrentHashMap<>();

    TrapNormalizer(OidNames names) {
        this.names = names;
    }

    /** The text forms of {@code oid}, from the cache (a network sends the same OIDs over and over). */
    OidText text(OID oid) {
        if (oid.size() > MAX_CACHED_OID_LENGTH) {
            return text(dotted(oid)); // bounded by entries, the cache must not hold giant OIDs
        }
        OidText t = texts.get(oid);
        if (t == null) {
            t = text(dotted(oid));
            if (texts.size() >= MAX_OID_TEXTS) {
                texts.clear();
            }
            texts.put(new OID(oid.getValue()), t); // a copy: the decoded OID belongs to its PDU
        }
        return t;
    }

    /** The text forms of {@code oid}, worked out now and not remembered (for callers with their own cache). */
    OidText uncachedText(OID oid) {
        return text(dotted(oid));
    }

    private OidText text(String dotted) {
        String name = names.name(dotted);
        return new OidText(dotted, ByteString.copyFromUtf8(dotted), name,
                name == null ? null : ByteString.copyFromUtf8(name));
    }

    /**
     * @param pdu       a V1TRAP, TRAP or INFORM PDU
     * @param community the v1/v2c community (null for v3)
     */
    SnmpTrap.Builder normalize(PDU pdu, SnmpTrap.Version version, String community) {
        SnmpTrap.Builder trap = SnmpTrap.newBuilder().setVersion(version);
        if (community != null) {
            trap.setCommunity(community);
        }
        if (pdu instanceof ScopedPDU scoped) {
            trap.setContextEngineId(ByteString.copyFrom(scoped.getContextEngineID().getValue()))
                    .setContextName(scoped.getContextName().toString());
        }
        List<? extends VariableBinding> vbs = pdu.getVariableBindings();
        if (pdu.getType() == PDU.V1TRAP && pdu instanceof PDUv1 v1) {
            normalizeV1(v1, community, trap, vbs);
            return trap;
        }
        trap.setPduType(pdu.getType() == PDU.INFORM ? SnmpTrap.PduType.PDU_TYPE_INFORM : SnmpTrap.PduType.PDU_TYPE_TRAP_V2);
        trap.setRequestId(pdu.getRequestID().getValue());
        int seen = 0;
        for (VariableBinding vb : vbs) {
            Variable v = vb.getVariable();
            seen = addV2Varbind(trap, seen, text(vb.getOid()), v, v instanceof OID o ? text(o) : null);
        }
        return trap;
    }

    /** {@link #addV2Varbind}'s flags: which of the two leading varbinds were taken as fields. */
    static final int UPTIME_SEEN = 1;
    static final int TRAP_OID_SEEN = 2;

    /**
     * One varbind of a v2 notification (SNMPv2-Trap or InformRequest PDU): RFC 3416 §4.2.6
     * puts sysUpTime.0 and snmpTrapOID.0 first; they become fields, taken from wherever they
     * are, as some agents misorder them. Shared by the SNMP4J path and
     * {@link V2cTrapFastPath}, so both build the same trap.
     *
     * @param seen     the flags returned for the previous varbind (0 for the first)
     * @param v        the value; may be null when {@code oidValue} is given
     * @param oidValue the value's text forms when it is an OBJECT IDENTIFIER, else null
     * @return the flags for the next varbind
     */
    int addV2Varbind(SnmpTrap.Builder trap, int seen, OidText oid, Variable v, OidText oidValue) {
        if ((seen & UPTIME_SEEN) == 0 && oidValue == null && SYS_UPTIME_0.equals(oid.dotted())
                && v.getSyntax() == SMIConstants.SYNTAX_TIMETICKS) {
            trap.setUptimeCentiseconds(v.toLong());
            return seen | UPTIME_SEEN;
        }
        if ((seen & TRAP_OID_SEEN) == 0 && SNMP_TRAP_OID_0.equals(oid.dotted()) && oidValue != null) {
            setTrapOid(trap, oidValue);
            return seen | TRAP_OID_SEEN;
        }
        trap.addVarbinds(varBind(oid, v, oidValue));
        return seen;
    }

    private void normalizeV1(PDUv1 v1, String community, SnmpTrap.Builder trap, List<? extends VariableBinding> vbs) {
        String enterprise = dotted(v1.getEnterprise());
        int generic = v1.getGenericTrap();
        int specific = v1.getSpecificTrap();
        String agent = v1.getAgentAddress().getInetAddress().getHostAddress();
        trap.setPduType(SnmpTrap.PduType.PDU_TYPE_TRAP_V1)
                .setV1Enterprise(enterprise)
                .setV1AgentAddress(agent)
                .setV1GenericTrap(generic)
                .setV1SpecificTrap(specific)
                .setUptimeCentiseconds(v1.getTimestamp() & 0xffffffffL);
        // RFC 3584 §3.1 (2): enterpriseSpecific(6) → enterprise.0.specific-trap; the generic
        // traps 0..5 → snmpTraps.(generic-trap + 1).
        setTrapOid(trap, text(generic == PDUv1.ENTERPRISE_SPECIFIC
                ? enterprise + ".0." + Integer.toUnsignedString(specific) : SNMP_TRAPS + "." + (generic + 1)));
        boolean hasAddress = false;
        boolean hasCommunity = false;
        boolean hasEnterprise = false;
        for (VariableBinding vb : vbs) {
            OidText oid = text(vb.getOid());
            hasAddress |= SNMP_TRAP_ADDRESS_0.equals(oid.dotted());
            hasCommunity |= SNMP_TRAP_COMMUNITY_0.equals(oid.dotted());
            hasEnterprise |= SNMP_TRAP_ENTERPRISE_0.equals(oid.dotted());
            trap.addVarbinds(varBind(oid, vb.getVariable()));
        }
        // RFC 3584 §3.1 (3), (4): what a v1 trap says outside its varbinds, appended unless
        // an earlier proxy already did.
        if (!hasAddress) {
            trap.addVarbinds(varBind(text(SNMP_TRAP_ADDRESS_0), v1.getAgentAddress()));
        }
        if (!hasCommunity && community != null) {
            trap.addVarbinds(varBind(text(SNMP_TRAP_COMMUNITY_0), new OctetString(community)));
        }
        if (!hasEnterprise) {
            trap.addVarbinds(varBind(text(SNMP_TRAP_ENTERPRISE_0), v1.getEnterprise()));
        }
    }

    private static void setTrapOid(SnmpTrap.Builder trap, OidText oid) {
        trap.setTrapOidBytes(oid.dottedUtf8());
        if (oid.name() != null) {
            trap.setTrapNameBytes(oid.nameUtf8());
        }
    }

    VarBind varBind(String oid, Variable v) {
        return varBind(text(oid), v);
    }

    private VarBind varBind(OidText oid, Variable v) {
        return varBind(oid, v, v instanceof OID o ? text(o) : null);
    }

    /** The normalized varbind; {@code v} may be null when {@code oidValue} (an OID value's text) is given. */
    VarBind varBind(OidText oid, Variable v, OidText oidValue) {
        VarBind.Builder b = VarBind.newBuilder().setOidBytes(oid.dottedUtf8());
        if (oid.name() != null) {
            b.setNameBytes(oid.nameUtf8());
        }
        if (oidValue != null) {
            return b.setType(VarBind.Type.TYPE_OBJECT_IDENTIFIER).setObjectIdBytes(oidValue.dottedUtf8())
                    .setDisplayBytes(oidValue.name() != null ? oidValue.nameUtf8() : oidValue.dottedUtf8()).build();
        }
        switch (v.getSyntax()) {
            case SMIConstants.SYNTAX_INTEGER -> {
                long value = v.toLong();
                String label = names.enumLabel(oid.dotted(), value);
                b.setType(VarBind.Type.TYPE_INTEGER).setInteger(value)
                        .setDisplay(label != null ? label : Long.toString(value));
            }
            case SMIConstants.SYNTAX_OCTET_STRING -> {
                byte[] bytes = ((OctetString) v).getValue();
                // The decoded value's own array, never written again: wrapped, not copied.
                b.setType(VarBind.Type.TYPE_OCTET_STRING).setOctets(UnsafeByteOperations.unsafeWrap(bytes))
                        .setDisplay(text(bytes));
            }
            case SMIConstants.SYNTAX_OPAQUE -> {
                byte[] bytes = ((OctetString) v).getValue();
                b.setType(VarBind.Type.TYPE_OPAQUE).setOctets(UnsafeByteOperations.unsafeWrap(bytes)).setDisplay(hex(bytes));
            }
            case SMIConstants.SYNTAX_OBJECT_IDENTIFIER -> {
                return varBind(oid, v, text((OID) v));
            }
            case SMIConstants.SYNTAX_IPADDRESS -> {
                String ip = ((IpAddress) v).getInetAddress().getHostAddress();
                b.setType(VarBind.Type.TYPE_IP_ADDRESS).setIpAddress(ip).setDisplay(ip);
            }
            case SMIConstants.SYNTAX_COUNTER32 -> unsigned(b, VarBind.Type.TYPE_COUNTER32, v.toLong());
            case SMIConstants.SYNTAX_GAUGE32 -> unsigned(b, VarBind.Type.TYPE_GAUGE32, v.toLong());
            case SMIConstants.SYNTAX_TIMETICKS -> b.setType(VarBind.Type.TYPE_TIMETICKS).setUnsigned(v.toLong())
                    .setDisplay(ticks(v.toLong()));
            case SMIConstants.SYNTAX_COUNTER64 -> {
                long raw = ((Counter64) v).getValue();
                b.setType(VarBind.Type.TYPE_COUNTER64).setUnsigned(raw).setDisplay(Long.toUnsignedString(raw));
            }
            case SMIConstants.EXCEPTION_NO_SUCH_OBJECT ->
                    b.setType(VarBind.Type.TYPE_NO_SUCH_OBJECT).setDisplay("noSuchObject");
            case SMIConstants.EXCEPTION_NO_SUCH_INSTANCE ->
                    b.setType(VarBind.Type.TYPE_NO_SUCH_INSTANCE).setDisplay("noSuchInstance");
            case SMIConstants.EXCEPTION_END_OF_MIB_VIEW ->
                    b.setType(VarBind.Type.TYPE_END_OF_MIB_VIEW).setDisplay("endOfMibView");
            default -> b.setType(VarBind.Type.TYPE_NULL);
        }
        return b.build();
    }

    private static void unsigned(VarBind.Builder b, VarBind.Type type, long value) {
        b.setType(type).setUnsigned(value).setDisplay(Long.toString(value));
    }

    /** TimeTicks as net-snmp prints them: "(centiseconds) d days, h:mm:ss.cc". */
    static String ticks(long centis) {
        long days = centis / 8_640_000L;
        long rest = centis % 8_640_000L;
        return String.format("(%d) %d day%s, %d:%02d:%02d.%02d", centis, days, days == 1 ? "" : "s",
                rest / 360_000L, rest / 6_000L % 60, rest / 100 % 60, rest % 100);
    }

    /** UTF-8 text when every character is printable (tab, CR, LF allowed), else hex. */
    static String text(byte[] bytes) {
        if (printableAscii(bytes)) {
            // Most OCTET STRINGs (ifDescr, ifAlias, messages) are plain ASCII: the general
            // decoder and code-point checks below would give the same string, slower.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return hex(bytes);
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if ((Character.isISOControl(cp) && cp != '\t' && cp != '\r' && cp != '\n')
                    || Character.getType(cp) == Character.UNASSIGNED || Character.getType(cp) == Character.FORMAT) {
                return hex(bytes);
            }
            i += Character.charCount(cp);
        }
        return s;
    }

    private static boolean printableAscii(byte[] bytes) {
        for (byte b : bytes) {
            if ((b < 0x20 || b > 0x7e) && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** "00:1a:2b" (lower case, colon-separated: reads as a MAC where it is one). */
    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return sb.toString();
    }

    /**
     * {@code oid} in dotted form, each sub-identifier unsigned: what {@link OID#toDottedString}
     * gives, without its general-purpose formatter (a tenth of the trap path's time at load).
     */
    static String dotted(OID oid) {
        int n = oid.size();
        StringBuilder sb = new StringBuilder(n * 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            int v = oid.get(i);
            if (v >= 0) {
                sb.append(v);
            } else {
                sb.append(v & 0xFFFFFFFFL);
            }
        }
        return sb.toString();
    }
}
