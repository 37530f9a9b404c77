package io.nocturne.ingest.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class OctetKeyedCacheTest {

    private static TrapNormalizer.OidText text(String dotted) {
        return new TrapNormalizer.OidText(dotted, ByteString.copyFromUtf8(dotted), null, null);
    }

    @Test
    void findsAnOidByItsOctetsAnywhereInABuffer() {
        OctetKeyedCache<TrapNormalizer.OidText> cache = new OctetKeyedCache<>(100);
        byte[] ifOperStatus3 = {0x2b, 6, 1, 2, 1, 2, 2, 1, 8, 3};
        cache.put(ifOperStatus3, 0, ifOperStatus3.length, text("1.3.6.1.2.1.2.2.1.8.3"));
        byte[] datagram = {0x30, 0x0c, 0x06, 0x0a, 0x2b, 6, 1, 2, 1, 2, 2, 1, 8, 3, 0x02, 0x01};
        assertThat(cache.get(datagram, 4, 10).dotted()).isEqualTo("1.3.6.1.2.1.2.2.1.8.3");
        assertThat(cache.get(datagram, 4, 9)).isNull(); // a prefix is another OID
        assertThat(cache.get(datagram, 5, 10)).isNull();
        ifOperStatus3[9] = 4; // the cache kept its own copy of the key
        assertThat(cache.get(datagram, 4, 10)).isNotNull();
    }

    @Test
    void growsThenStartsOverWhenFull() {
        OctetKeyedCache<TrapNormalizer.OidText> cache = new OctetKeyedCache<>(5000);
        for (int i = 0; i < 5000; i++) {
            byte[] key = {0x2b, 6, 1, (byte) (0x80 | (i >> 7)), (byte) (i & 0x7f)};
            cache.put(key, 0, key.length, text("1.3.6.1." + i));
        }
        assertThat(cache.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) {
            byte[] key = {0x2b, 6, 1, (byte) (0x80 | (i >> 7)), (byte) (i & 0x7f)};
            assertThat(cache.get(key, 0, key.length).dotted()).isEqualTo("1.3.6.1." + i);
        }
        byte[] one = {0x2b, 6, 2};
        cache.put(one, 0, one.length, text("1.3.6.2"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(one, 0, one.length).dotted()).isEqualTo("1.3.6.2");
        byte[] first = {0x2b, 6, 1, (byte) 0x80, 0};
        assertThat(cache.get(first, 0, first.length)).isNull();
    }

    /**
     * Keys a sender crafted to share one hash (blocks {1, 0} and {0, 31} hash alike): only the
     * first {@link OctetKeyedCache#MAX_PROBES} are remembered, the rest are misses, and a lookup
     * never walks a longer chain; other keys are still found.
     */
    @Test
    void collidingKeysCannotBuildALongChain() {
        OctetKeyedCache<TrapNormalizer.OidText> cache = new OctetKeyedCache<>(100_000);
        int n = 1 << 12;
        byte[][] keys = new byte[n][];
        for (int k = 0; k < n; k++) {
            byte[] key = new byte[24];
            for (int block = 0; block < 12; block++) {
                boolean one = (k >> block & 1) != 0;
                key[2 * block] = (byte) (one ? 1 : 0);
                key[2 * block + 1] = (byte) (one ? 0 : 31);
            }
            keys[k] = key;
            cache.put(key, 0, key.length, text("1.3." + k));
        }
        assertThat(cache.size()).isEqualTo(OctetKeyedCache.MAX_PROBES);
        int found = 0;
        for (byte[] key : keys) {
            found += cache.get(key, 0, key.length) == null ? 0 : 1;
        }
        assertThat(found).isEqualTo(OctetKeyedCache.MAX_PROBES);
        byte[] other = {0x2b, 6, 1, 2, 1, 1, 3, 0};
        cache.put(other, 0, other.length, text("1.3.6.1.2.1.1.3.0"));
        assertThat(cache.get(other, 0, other.length).dotted()).isEqualTo("1.3.6.1.2.1.1.3.0");
    }

    /** What a network sends — instance OIDs one after another — all fit within the probe bound. */
    @Test
    void aFullCacheOfRealisticOidsIsAllRemembered() {
        int n = TrapNormalizer.MAX_OID_TEXTS;
        OctetKeyedCache<TrapNormalizer.OidText> cache = new OctetKeyedCache<>(n);
        TrapNormalizer.OidText t = text("1.3.6.1.2.1.2.2.1.8");
        for (int i = 0; i < n; i++) {
            byte[] key = {0x2b, 6, 1, 2, 1, 2, 2, 1, (byte) (1 + i % 22), (byte) (0x80 | (i >> 14)), (byte) (0x80 | (i >> 7 & 0x7f)), (byte) (i & 0x7f)};
            cache.put(key, 0, key.length, t);
        }
        assertThat(cache.size()).isEqualTo(n);
    }
}
