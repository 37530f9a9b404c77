package io.nocturne.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers every Nocturne record carries, so a reader needs nothing but the record. */
public final class RecordHeaders {

    /** Media type of the value, with the protobuf message type as a parameter. */
    public static final String CONTENT_TYPE = "content-type";
    /** Version of the schema in {@code common/src/main/proto}; see telemetry.proto. */
    public static final String SCHEMA_VERSION = "nocturne-schema-version";
    /** The schema version this build writes. */
    public static final String CURRENT_SCHEMA_VERSION = "1";

    private RecordHeaders() {
    }

    /** The last value of a header as UTF-8 text, or null. */
    public static String lastString(Headers headers, String key) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
