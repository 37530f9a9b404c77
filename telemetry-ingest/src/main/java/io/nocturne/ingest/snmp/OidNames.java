package io.nocturne.ingest.snmp;

/**
 * Symbolic names for numeric OIDs, as a MIB gives them. The trap decoder asks it for the
 * trap OID ({@code SnmpTrap.trap_name}), every varbind OID ({@code VarBind.name}) and
 * enumerated INTEGER values ({@code VarBind.display}). Implementations must be safe for
 * concurrent use and cheap: they run on the receive path.
 */
public interface OidNames {

    /**
     * The name of {@code oid} (dotted, no leading dot) with its instance suffix, e.g.
     * "1.3.6.1.6.3.1.1.5.3" → "IF-MIB::linkDown", "1.3.6.1.2.1.2.2.1.8.3" →
     * "IF-MIB::ifOperStatus.3"; null when no known object is a prefix of it.
     */
    String name(String oid);

    /**
     * The label of enumerated {@code value} of the object {@code oid} belongs to (instance
     * suffix allowed), e.g. ("1.3.6.1.2.1.2.2.1.8.3", 2) → "down(2)"; null when the object is
     * unknown, not an enumeration, or the value not one of its labels.
     */
    String enumLabel(String oid, long value);

    /** Knows no names: every OID stays numeric. */
    OidNames NONE = new OidNames() {
        @Override
        public String name(String oid) {
            return null;
        }

        @Override
        public String enumLabel(String oid, long value) {
            return null;
        }
    };

    /**
     * {@code first}'s answer, else {@code then}'s: a small exact table in front of a MIB
     * registry whose longest-prefix answer would otherwise shadow it.
     */
    static OidNames firstOf(OidNames first, OidNames then) {
        return new OidNames() {
            @Override
            public String name(String oid) {
                String n = first.name(oid);
                return n != null ? n : then.name(oid);
            }

            @Override
            public String enumLabel(String oid, long value) {
                String l = first.enumLabel(oid, value);
                return l != null ? l : then.enumLabel(oid, value);
            }
        };
    }
}
