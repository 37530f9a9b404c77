package io.nocturne.ingest.snmp;

/**
 * Translates numeric OIDs into the names a human reads, from the loaded MIB modules.
 * Implementations are immutable and thread-safe: they are called per varbind on the
 * ingest hot path.
 */
public interface OidNames {

    /**
     * The symbolic name of a numeric OID: the longest defined prefix as
     * {@code MODULE::name}, followed by the remaining arcs as the instance suffix, for
     * example {@code IF-MIB::linkDown} or {@code IF-MIB::ifOperStatus.3}.
     *
     * @param numericOid dotted decimal OID, e.g. {@code 1.3.6.1.2.1.2.2.1.8.3}
     * @return the name, or null when no prefix of the OID is known
     */
    String name(String numericOid);

    /**
     * The enumeration label of a value of the object the OID names (an instance OID is
     * allowed), resolved through the object's syntax and textual conventions, for example
     * {@code down(2)} for {@code IF-MIB::ifOperStatus.3} and 2.
     *
     * @param numericOid dotted decimal OID of the object or one of its instances
     * @param value the integer value of the varbind
     * @return {@code label(value)}, or null when the object is unknown, has no
     *     enumeration, or the value is not one of its labels
     */
    String enumLabel(String numericOid, long value);
}
