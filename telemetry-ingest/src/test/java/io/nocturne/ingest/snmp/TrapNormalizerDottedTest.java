package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

class TrapNormalizerDottedTest {

    @Test
    void formatsLikeSnmp4jIncludingUnsignedSubIdentifiers() {
        assertThat(TrapNormalizer.dotted(new OID())).isEqualTo(new OID().toDottedString());
        assertThat(TrapNormalizer.dotted(new OID("1.3.6.1.6.3.1.1.4.1.0"))).isEqualTo("1.3.6.1.6.3.1.1.4.1.0");
        assertThat(TrapNormalizer.dotted(new OID(new int[] {1, 3, -1, Integer.MIN_VALUE, 0})))
                .isEqualTo("1.3.4294967295.2147483648.0")
                .isEqualTo(new OID(new int[] {1, 3, -1, Integer.MIN_VALUE, 0}).toDottedString());
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            int[] ids = new int[random.nextInt(0, 40)];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = random.nextBoolean() ? random.nextInt(0, 100_000) : random.nextInt();
            }
            OID oid = new OID(ids);
            assertThat(TrapNormalizer.dotted(oid)).isEqualTo(oid.toDottedString());
        }
    }
}
