package io.nocturne.ingest.snmp.mib;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.snmp.mib.MibModule.Kind;
import io.nocturne.ingest.snmp.mib.MibModule.OidComponent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MibParserTest {

    private static MibModule parseOne(String text) {
        MibParser.ParsedFile parsed = MibParser.parse("test.mib", text);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.modules()).hasSize(1);
        return parsed.modules().get(0);
    }

    @Test
    void endsCommentsAtTheNextDoubleDashOrTheEndOfTheLine() {
        MibModule m = parseOne("""
                A-MIB DEFINITIONS ::= BEGIN -- a comment -- IMPORTS
                  enterprises FROM SNMPv2-SMI; -- trailing comment
                -------------------------------------------------
                --- a ruler with text ---
                a OBJECT IDENTIFIER ::= { enterprises -- inline -- 1 }
                END
                """);
        assertThat(m.imports()).containsEntry("enterprises", "SNMPv2-SMI");
        assertThat(m.values().get("a").oid())
                .containsExactly(new OidComponent("enterprises", -1), new OidComponent(null, 1));
    }

    @Test
    void readsNamedArcsAndMultiLineStrings() {
        MibModule m = parseOne("""
                B-MIB DEFINITIONS ::= BEGIN
                internet OBJECT IDENTIFIER ::= { iso org(3) dod(6) 1 }
                T ::= TEXTUAL-CONVENTION
                    DISPLAY-HINT "d"
                    STATUS current
                    DESCRIPTION "spans
                        lines; END and ::= are only text here"
                    SYNTAX INTEGER { up(1), down(2), -- comment
                                     testing(3) }
                END
                """);
        assertThat(m.values().get("internet").oid()).containsExactly(new OidComponent("iso", -1),
                new OidComponent("org", 3), new OidComponent("dod", 6), new OidComponent(null, 1));
        assertThat(m.types().get("T").syntax().namedNumbers()).isEqualTo(Map.of(1L, "up", 2L, "down", 3L, "testing"));
    }

    @Test
    void parsesObjectTypesWithEveryClauseAndSkipsConformance() {
        MibModule m = parseOne("""
                C-MIB DEFINITIONS ::= BEGIN
                IMPORTS MODULE-IDENTITY, OBJECT-TYPE, NOTIFICATION-TYPE, Integer32, mib-2 FROM SNMPv2-SMI
                        MODULE-COMPLIANCE, OBJECT-GROUP FROM SNMPv2-CONF;
                cMib MODULE-IDENTITY LAST-UPDATED "202601010000Z" ORGANIZATION "o" CONTACT-INFO "c"
                    DESCRIPTION "d" REVISION "202601010000Z" DESCRIPTION "r" ::= { mib-2 9999 }
                cTable OBJECT-TYPE SYNTAX SEQUENCE OF CEntry MAX-ACCESS not-accessible STATUS current
                    DESCRIPTION "t" ::= { cMib 1 }
                cEntry OBJECT-TYPE SYNTAX CEntry MAX-ACCESS not-accessible STATUS current
                    DESCRIPTION "e" INDEX { IMPLIED cName } ::= { cTable 1 }
                CEntry ::= SEQUENCE { cName OCTET STRING, cBits BITS }
                cBits OBJECT-TYPE
                    SYNTAX BITS { a(0), b(1) }
                    UNITS "things" MAX-ACCESS read-write STATUS current DESCRIPTION "b"
                    DEFVAL { { a, b } }
                    ::= { cEntry 2 }
                cSigned OBJECT-TYPE SYNTAX Integer32 (-10..10 | 20) MAX-ACCESS read-only STATUS current
                    DESCRIPTION "s" DEFVAL { -1 } ::= { cEntry 3 }
                cEvent NOTIFICATION-TYPE OBJECTS { cBits, cSigned } STATUS current DESCRIPTION "n"
                    ::= { cMib 0 1 }
                cCompliance MODULE-COMPLIANCE STATUS current DESCRIPTION "x"
                    MODULE -- this module
                      MANDATORY-GROUPS { cGroup }
                      OBJECT cBits SYNTAX BITS { a(0) } MIN-ACCESS read-only DESCRIPTION "y"
                    ::= { cMib 2 1 }
                cGroup OBJECT-GROUP OBJECTS { cBits } STATUS current DESCRIPTION "g" ::= { cMib 2 2 }
                END
                """);
        assertThat(m.smiV2()).isTrue();
        assertThat(m.values().get("cBits").syntax().bits()).isTrue();
        assertThat(m.values().get("cEvent").kind()).isEqualTo(Kind.NOTIFICATION_TYPE);
        assertThat(m.values().get("cEvent").objects()).containsExactly("cBits", "cSigned");
        assertThat(m.values().get("cCompliance").kind()).isEqualTo(Kind.COMPLIANCE);
        assertThat(m.values().get("cTable").syntax().base()).isEqualTo("SEQUENCE OF");
    }

    @Test
    void parsesTrapTypesWithTheirEnterpriseAndNumber() {
        MibModule m = parseOne("""
                D-MIB DEFINITIONS ::= BEGIN
                IMPORTS enterprises FROM RFC1155-SMI TRAP-TYPE FROM RFC-1215;
                d OBJECT IDENTIFIER ::= { enterprises 4242 }
                dFailed TRAP-TYPE ENTERPRISE d VARIABLES { dA, dB } DESCRIPTION "f" REFERENCE "r" ::= 17
                END
                """);
        MibModule.MibDefinition trap = m.values().get("dFailed");
        assertThat(trap.kind()).isEqualTo(Kind.TRAP_TYPE);
        assertThat(trap.enterprise()).isEqualTo("d");
        assertThat(trap.trapNumber()).isEqualTo(17);
        assertThat(trap.objects()).containsExactly("dA", "dB");
    }

    @Test
    void skipsMacroBodiesAndReadsSeveralModulesInOneFile() {
        MibParser.ParsedFile parsed = MibParser.parse("two.mib", String.join("\n",
                "E-MIB DEFINITIONS ::= BEGIN",
                "X-TYPE MACRO ::= BEGIN",
                "    TYPE NOTATION ::= \"SYNTAX\" type(Syntax) | empty",
                "    VALUE NOTATION ::= value(VALUE INTEGER)",
                "    Text ::= \"\"\"\" string \"\"\"\"",
                "END",
                "END",
                "F-MIB DEFINITIONS ::= BEGIN",
                "f OBJECT IDENTIFIER ::= { 1 3 }",
                "END"));
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.modules()).extracting(MibModule::name).containsExactly("E-MIB", "F-MIB");
        assertThat(parsed.modules().get(0).macros()).containsExactly("X-TYPE");
    }

    @Test
    void reportsTheLineAndReasonOfSyntaxErrors() {
        assertThat(MibParser.parse("a.mib", "A-MIB DEFINITIONS ::= BEGIN\n\n a OBJECT IDENTIFIER ::= { b 1 \nEND\n")
                .problems()).extracting(MibProblem::toString)
                .containsExactly("a.mib:4: expected a number or '}' in the OID value, found 'END'");
        assertThat(MibParser.parse("b.mib", "B-MIB DEFINITIONS ::= BEGIN\n IMPORTS a, b FROM;\nEND")
                .problems()).extracting(MibProblem::toString)
                .containsExactly("b.mib:2: expected a module name after FROM, found ';'");
        assertThat(MibParser.parse("c.mib", "C-MIB DEFINITIONS ::= BEGIN\n c OBJECT-TYPE\n SYNTAX INTEGER\n"
                + " DESCRIPTION \"never closed\n END\n").problems()).extracting(MibProblem::toString)
                .containsExactly("c.mib:2: c is not closed by ::=");
        assertThat(MibParser.parse("d.mib", "").problems()).extracting(MibProblem::toString)
                .containsExactly("d.mib:0: no MIB module in the file");
        assertThat(MibParser.parse("e.mib", "E-MIB DEFINITIONS ::= BEGIN\n e OBJECT IDENTIFIER ::= { 1 }\n")
                .problems()).extracting(MibProblem::toString)
                .containsExactly("e.mib:3: module E-MIB is not closed by END");
        assertThat(MibParser.parse("f.mib", "F-MIB DEFINITIONS ::= BEGIN\n f OBJECT IDENTIFIER ::= { 1 }\n"
                + " f OBJECT IDENTIFIER ::= { 2 }\nEND").problems()).extracting(MibProblem::toString)
                .containsExactly("f.mib:3: f is defined twice in F-MIB");
    }
}
