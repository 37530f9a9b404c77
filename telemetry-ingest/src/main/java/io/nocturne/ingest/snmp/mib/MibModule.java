package io.nocturne.ingest.snmp.mib;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parsed MIB module, before its names are resolved across modules.
 *
 * @param name module name ({@code IF-MIB})
 * @param source file it was read from
 * @param line line of its {@code DEFINITIONS} header
 * @param smiV2 true for an SMIv2 module (RFC 2578): it has a MODULE-IDENTITY or imports
 *     from SNMPv2-SMI; an SMIv2 definition wins over an SMIv1 one for the same OID
 * @param imports imported symbol → module it is imported from
 * @param values value assignments (OIDs, objects, notifications, traps) by name, in file order
 * @param types type assignments and textual conventions by name
 * @param macros names of the MACROs the module defines (SNMPv2-SMI, RFC-1212, …)
 * @param complete false when a syntax error cut the module short (what precedes it is kept)
 */
record MibModule(
        String name,
        String source,
        int line,
        boolean smiV2,
        Map<String, String> imports,
        Map<String, MibDefinition> values,
        Map<String, MibType> types,
        Set<String> macros,
        boolean complete) {

    boolean defines(String symbol) {
        return values.containsKey(symbol) || types.containsKey(symbol) || macros.contains(symbol);
    }

    /** A type assignment or TEXTUAL-CONVENTION ({@code Foo ::= INTEGER { a(1) }}). */
    record MibType(String name, MibSyntax syntax, int line) {
    }

    /**
     * A SYNTAX: the base type (a built-in such as {@code INTEGER} or a reference to a named
     * type or textual convention) and the named numbers written with it, if any.
     */
    record MibSyntax(String base, Map<Long, String> namedNumbers, boolean bits) {

        static final Set<String> BUILT_IN = Set.of("INTEGER", "OCTET STRING", "OBJECT IDENTIFIER", "BITS",
                "BIT STRING", "SEQUENCE", "SEQUENCE OF", "CHOICE", "NULL");
    }

    /** One arc of an OID value: a name reference, a number, or both ({@code org(3)}). */
    record OidComponent(String name, long number) {

        static final long NONE = -1;

        boolean hasNumber() {
            return number != NONE;
        }
    }

    enum Kind {
        OBJECT_IDENTIFIER, MODULE_IDENTITY, OBJECT_IDENTITY, OBJECT_TYPE, NOTIFICATION_TYPE, TRAP_TYPE,
        GROUP, COMPLIANCE, CAPABILITIES, OTHER_VALUE
    }

    /**
     * A value assignment.
     *
     * @param oid the OID value; empty for a TRAP-TYPE, which is placed under its enterprise
     * @param syntax the SYNTAX of an OBJECT-TYPE, else null
     * @param objects OBJECTS of a NOTIFICATION-TYPE, VARIABLES of a TRAP-TYPE
     * @param enterprise ENTERPRISE of a TRAP-TYPE, else null
     * @param trapNumber specific-trap number of a TRAP-TYPE
     */
    record MibDefinition(
            String name,
            Kind kind,
            int line,
            List<OidComponent> oid,
            MibSyntax syntax,
            List<String> objects,
            String enterprise,
            long trapNumber) {
    }
}
