package io.nocturne.alert.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.nocturne.alert.AlertEngine;
import io.nocturne.alert.incidents.IncidentQueries;
import io.nocturne.telemetry.v1.IncidentList;
import io.nocturne.telemetry.v1.IncidentStatus;
import java.util.Locale;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * {@code /api/v1/incidents}: incidents as canonical proto3 JSON (the schema is
 * {@code nocturne.v1.Incident} in common/src/main/proto).
 */
@Controller("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentController {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final int MAX_LIMIT = 1000;

    private final AlertEngine engine;

    public IncidentController(AlertEngine engine) {
        this.engine = engine;
    }

    /**
     * Lists incidents, newest first.
     *
     * @param status open, acknowledged or resolved; all when absent
     * @param limit  at most this many (default 100, max 1000)
     */
    @Get
    public HttpResponse<String> list(@Nullable @QueryValue String status, @Nullable @QueryValue Integer limit) {
        IncidentStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = IncidentStatus.valueOf("INCIDENT_STATUS_" + status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return error(HttpStatus.BAD_REQUEST, "status must be open, acknowledged or resolved");
            }
        }
        int n = limit == null ? 100 : Math.max(1, Math.min(MAX_LIMIT, limit));
        IncidentStatus filter = wanted;
        return query(q -> {
            var incidents = q.list(filter, n);
            // Canonical proto3 JSON omits an empty list; clients expect the field.
            return incidents.isEmpty() ? HttpResponse.ok("{\"incidents\":[]}")
                    : json(IncidentList.newBuilder().addAllIncidents(incidents));
        });
    }

    @Get("/{id}")
    public HttpResponse<String> get(@PathVariable String id) {
        return query(q -> q.get(id).map(IncidentController::json)
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no incident " + id)));
    }

    private HttpResponse<String> query(java.util.function.Function<IncidentQueries, HttpResponse<String>> f) {
        var streams = engine.streams();
        if (streams.isEmpty()) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, "alert engine is " + engine.state());
        }
        try {
            return f.apply(new IncidentQueries(streams.get()));
        } catch (InvalidStateStoreException e) {
            // Rebalancing or restoring: the store is not readable for a moment.
            return error(HttpStatus.SERVICE_UNAVAILABLE, "incident store not ready (" + engine.state() + "), retry shortly");
        }
    }

    private static HttpResponse<String> json(MessageOrBuilder message) {
        try {
            return HttpResponse.ok(JSON.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("incident not printable as JSON", e);
        }
    }

    private static HttpResponse<String> error(HttpStatus status, String message) {
        return HttpResponse.<String>status(status)
                .body("{\"error\":" + jsonString(message) + "}")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** A JSON string literal: the message may carry a client's path (quotes, control characters). */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
