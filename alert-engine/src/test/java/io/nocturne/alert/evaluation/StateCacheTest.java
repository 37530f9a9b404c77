package io.nocturne.alert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The write-through cache: every write reaches the store, and reads after a write see it without decoding. */
class StateCacheTest {

    /** A store that keeps states serialized, as RocksDB does, and counts decodes. */
    private static final class SerializedStore implements AlertEvaluator.StateAccess {
        final Map<String, byte[]> bytes = new HashMap<>();
        int decodes;

        @Override
        public AlertState get(String fp) {
            byte[] b = bytes.get(fp);
            if (b == null) {
                return null;
            }
            decodes++;
            return AlertState.fromBytes(b);
        }

        @Override
        public void put(String fp, AlertState s) {
            bytes.put(fp, s.toBytes());
        }

        @Override
        public void delete(String fp) {
            bytes.remove(fp);
        }

        @Override
        public void forEach(BiConsumer<String, AlertState> visitor) {
            bytes.forEach((k, v) -> visitor.accept(k, AlertState.fromBytes(v)));
        }
    }

    @Test
    void aStateChangedInPlaceIsWrittenThroughAndStaysCached() {
        SerializedStore store = new SerializedStore();
        StateCache cache = new StateCache(store, 2);
        AlertState a = new AlertState("Busy", 1L, Map.of("device", "a"));
        assertThat(cache.get("fa")).isNull();
        cache.put("fa", a);
        AlertState read = cache.get("fa");
        assertThat(read).isSameAs(a);
        read.lastMatchAt = 42;
        cache.put("fa", read); // read, changed, written back: the store has the change
        assertThat(AlertState.fromBytes(store.bytes.get("fa")).lastMatchAt).isEqualTo(42);
        assertThat(cache.get("fa")).isSameAs(a);
        assertThat(store.decodes).isZero();
    }

    @Test
    void theSameStateWrittenUnderAnotherKeyIsCachedUnderThatKey() {
        SerializedStore store = new SerializedStore();
        StateCache cache = new StateCache(store, 4);
        AlertState a = new AlertState("Busy", 1L, Map.of("device", "a"));
        cache.put("fa", a);
        assertThat(cache.get("fa")).isSameAs(a);
        cache.put("fb", a);
        assertThat(cache.get("fb")).isSameAs(a);
        assertThat(store.decodes).isZero();
    }

    @Test
    void deletedAndEvictedStatesAreReadFromTheStore() {
        SerializedStore store = new SerializedStore();
        StateCache cache = new StateCache(store, 1);
        cache.put("fa", new AlertState("Busy", 1L, Map.of("device", "a")));
        cache.put("fb", new AlertState("Busy", 1L, Map.of("device", "b"))); // evicts fa
        AlertState a = cache.get("fa");
        assertThat(a).isNotNull();
        assertThat(store.decodes).isEqualTo(1);
        cache.delete("fa");
        assertThat(cache.get("fa")).isNull();
        assertThat(store.bytes).doesNotContainKey("fa");
    }
}
