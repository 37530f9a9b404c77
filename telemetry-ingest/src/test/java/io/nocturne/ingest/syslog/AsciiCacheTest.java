package io.nocturne.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiCacheTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRepeatedRangeGetsTheSameStringAndItsTextIsTheRangesLatin1Text() {
        AsciiCache cache = new AsciiCache(16, 32);
        byte[] first = bytes("<189>core-rtr1: %LINK-3-UPDOWN");
        byte[] second = bytes("xx core-rtr1 yy");
        String a = cache.get(first, 5, 14);
        String b = cache.get(second, 3, 12);
        assertThat(a).isEqualTo("core-rtr1");
        assertThat(b).isSameAs(a);
        assertThat(cache.get(bytes("caf\u00e9"), 0, 4)).isEqualTo("caf\u00e9");
        assertThat(cache.get(first, 5, 5)).isEmpty();
    }

    @Test
    void rangesThatShareASlotEachGetTheirOwnText() {
        // One slot: every name collides, and each answer must still be its own bytes.
        AsciiCache cache = new AsciiCache(1, 32);
        for (int round = 0; round < 3; round++) {
            for (String name : new String[] {"LINK", "UPDOWN", "ASA", "302013", "LINEPROTO"}) {
                assertThat(cache.get(bytes("%" + name + ":"), 1, name.length() + 1)).isEqualTo(name);
            }
        }
    }

    @Test
    void rangesLongerThanTheLimitAreNotKept() {
        AsciiCache cache = new AsciiCache(16, 4);
        byte[] text = bytes("abcdefgh");
        String a = cache.get(text, 0, 8);
        String b = cache.get(text, 0, 8);
        assertThat(a).isEqualTo("abcdefgh").isEqualTo(b).isNotSameAs(b);
        assertThat(cache.get(text, 0, 4)).isSameAs(cache.get(text, 0, 4));
    }

    @Test
    void manyDifferentNamesKeepTheTableAtItsSize() throws Exception {
        AsciiCache cache = new AsciiCache(64, 32);
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    String name = "dev-" + id + "-" + (i % 5_000);
                    String got = cache.get(bytes(name), 0, name.length());
                    if (!got.equals(name)) {
                        wrong.compareAndSet(null, name + " came back as " + got);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong.get()).isNull();
        java.lang.reflect.Field slots = AsciiCache.class.getDeclaredField("slots");
        slots.setAccessible(true);
        assertThat((Object[]) slots.get(cache)).hasSize(64);
    }
}
