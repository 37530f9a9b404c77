package io.nocturne.ingest.snmp.mib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MibLoaderPropertiesTest {

    private static final String IF_MIB = MibRegistry.shippedSources().stream()
            .filter(s -> s.name().endsWith("/IF-MIB")).findFirst().orElseThrow().text();

    private static final MibRegistry SHIPPED = MibRegistry.load(List.of());

    @Property(tries = 300)
    void randomTextNeverThrowsPastTheLoader(@ForAll("mibLikeText") String text) {
        MibRegistry registry = MibRegistry.of(List.of(new MibSource("garbage.mib", text, false)));
        assertThat(registry.problems()).allSatisfy(p -> assertThat(p.source()).isEqualTo("garbage.mib"));
    }

    @Property(tries = 200)
    void aTruncatedOrMutatedRealMibNeverThrows(@ForAll("cuts") int cut, @ForAll("cuts") int splice) {
        int a = Math.min(cut, IF_MIB.length());
        int b = Math.min(splice, IF_MIB.length());
        String mutated = IF_MIB.substring(0, Math.min(a, b)) + IF_MIB.substring(Math.max(a, b));
        MibRegistry registry = MibRegistry.of(List.of(new MibSource("IF-MIB", mutated, false)));
        assertThat(registry).isNotNull();
    }

    @Property(tries = 500)
    void lookupsOfArbitraryTextNeverThrow(@ForAll("oidLikeText") String oid, @ForAll long value) {
        SHIPPED.name(oid);
        SHIPPED.enumLabel(oid, value);
    }

    @Provide
    Arbitrary<String> mibLikeText() {
        Arbitrary<String> tokens = Arbitraries.of("DEFINITIONS", "::=", "BEGIN", "END", "IMPORTS", "FROM", ";",
                "{", "}", "(", ")", "..", ",", "OBJECT", "IDENTIFIER", "OBJECT-TYPE", "SYNTAX", "INTEGER",
                "TRAP-TYPE", "ENTERPRISE", "MACRO", "TEXTUAL-CONVENTION", "SEQUENCE", "OF", "\"", "--", "'0A'H",
                "A-MIB", "a", "b", "1", "-5", "99999999999999999999", "\n", " ", "[", "]", "BITS", "MODULE-IDENTITY");
        return Arbitraries.oneOf(
                tokens.list().ofMaxSize(80).map(l -> String.join(" ", l)),
                Arbitraries.strings().ofMaxLength(300));
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 80_000);
    }

    @Provide
    Arbitrary<String> oidLikeText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789.").ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.longs().between(0, 5_000_000_000L).list().ofMaxSize(14)
                        .map(l -> "1.3.6.1." + String.join(".", l.stream().map(String::valueOf).toList())));
    }
}
