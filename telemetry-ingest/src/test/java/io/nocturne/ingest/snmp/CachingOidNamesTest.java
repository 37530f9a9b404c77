package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingOidNamesTest {

    @Test
    void asksTheDelegateOncePerOidIncludingMissesAndStaysBounded() {
        AtomicInteger asked = new AtomicInteger();
        OidNames counting = new OidNames() {
            @Override
            public String name(String oid) {
                asked.incrementAndGet();
                return oid.startsWith("1.3.6.1.6.3.1.1.5.3") ? "IF-MIB::linkDown" : null;
            }

            @Override
            public String enumLabel(String oid, long value) {
                asked.incrementAndGet();
                return value == 2 ? "down(2)" : null;
            }
        };
        CachingOidNames names = new CachingOidNames(counting, 3);
        for (int i = 0; i < 5; i++) {
            assertThat(names.name("1.3.6.1.6.3.1.1.5.3")).isEqualTo("IF-MIB::linkDown");
            assertThat(names.name("1.3.6.1.4.1.99999")).isNull();
            assertThat(names.enumLabel("1.3.6.1.2.1.2.2.1.8.3", 2)).isEqualTo("down(2)");
            assertThat(names.enumLabel("1.3.6.1.2.1.2.2.1.8.3", 9)).isNull();
        }
        assertThat(asked).hasValue(4);
        // A fourth distinct OID empties the cache (bound 3): answers stay right.
        names.name("1.1");
        names.name("1.2");
        assertThat(names.name("1.3.6.1.6.3.1.1.5.3")).isEqualTo("IF-MIB::linkDown");
        assertThat(asked.get()).isGreaterThan(4);
    }
}
