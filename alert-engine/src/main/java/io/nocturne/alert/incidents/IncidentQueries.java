package io.nocturne.alert.incidents;

import io.nocturne.telemetry.v1.Incident;
import io.nocturne.telemetry.v1.IncidentStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads incidents from the local {@code incidents} store (interactive queries). With one
 * instance that is every incident; serving reads across instances comes with the incident
 * issue (a global table on {@code nocturne.incidents}).
 */
public final class IncidentQueries {

    private final KafkaStreams streams;

    public IncidentQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    private ReadOnlyKeyValueStore<String, Incident> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(IncidentProcessor.BY_ID_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    /** Newest first; {@code status} null for all. */
    public List<Incident> list(IncidentStatus status, int limit) {
        List<Incident> out = new ArrayList<>();
        try (KeyValueIterator<String, Incident> it = store().all()) {
            while (it.hasNext()) {
                Incident i = it.next().value;
                if (status == null || i.getStatus() == status) {
                    out.add(i);
                }
            }
        }
        out.sort(Comparator.comparingLong(Incident::getOpenedAtUnixNanos).reversed().thenComparing(Incident::getId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    public Optional<Incident> get(String id) {
        return Optional.ofNullable(store().get(id));
    }
}
