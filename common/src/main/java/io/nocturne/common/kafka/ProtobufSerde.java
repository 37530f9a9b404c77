package io.nocturne.common.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one protobuf message type, in binary protobuf or canonical proto3 JSON.
 *
 * <p>The serializer writes the topic's wire format and stamps {@link RecordHeaders#CONTENT_TYPE}
 * and {@link RecordHeaders#SCHEMA_VERSION}. The deserializer reads whichever format the
 * record's {@code content-type} says, so a topic can be switched from one format to the other
 * without stopping its consumers; a record without the header is read in the serde's own format.
 */
public final class ProtobufSerde<T extends Message> implements Serde<T> {

    private final WireFormat format;
    private final Parser<T> parser;
    private final Supplier<Message.Builder> builderFactory;
    private final byte[] contentType;
    private final byte[] schemaVersion = RecordHeaders.CURRENT_SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8);
    private final JsonFormat.Printer jsonPrinter = JsonFormat.printer().omittingInsignificantWhitespace();
    private final JsonFormat.Parser jsonParser = JsonFormat.parser().ignoringUnknownFields();

    /**
     * @param defaultInstance the message type's default instance, e.g. {@code TelemetryEvent.getDefaultInstance()}
     * @param format          what this serde writes (and reads when a record has no content-type)
     */
    @SuppressWarnings("unchecked")
    public ProtobufSerde(T defaultInstance, WireFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        this.parser = (Parser<T>) defaultInstance.getParserForType();
        this.builderFactory = defaultInstance::newBuilderForType;
        String fullName = defaultInstance.getDescriptorForType().getFullName();
        this.contentType = (format.mediaType() + "; messageType=" + fullName).getBytes(StandardCharsets.UTF_8);
    }

    public static <T extends Message> ProtobufSerde<T> protobuf(T defaultInstance) {
        return new ProtobufSerde<>(defaultInstance, WireFormat.PROTOBUF);
    }

    public WireFormat format() {
        return format;
    }

    /** Encodes a value in this serde's format (no headers). */
    public byte[] encode(T value) {
        return switch (format) {
            case PROTOBUF -> value.toByteArray();
            case JSON -> toJson(value).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Decodes bytes written in the given format. */
    @SuppressWarnings("unchecked")
    public T decode(byte[] bytes, WireFormat in) {
        try {
            return switch (in) {
                case PROTOBUF -> parser.parseFrom(bytes);
                case JSON -> {
                    Message.Builder b = builderFactory.get();
                    jsonParser.merge(new String(bytes, StandardCharsets.UTF_8), b);
                    yield (T) b.build();
                }
            };
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("cannot decode " + in + " record: " + e.getMessage(), e);
        }
    }

    /** Encodes {@code value} and stamps the content-type and schema-version headers. */
    public byte[] serialize(Headers headers, T value) {
        if (headers != null) {
            headers.remove(RecordHeaders.CONTENT_TYPE).add(RecordHeaders.CONTENT_TYPE, contentType);
            headers.remove(RecordHeaders.SCHEMA_VERSION).add(RecordHeaders.SCHEMA_VERSION, schemaVersion);
        }
        return encode(value);
    }

    private String toJson(T value) {
        try {
            return jsonPrinter.print(value);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail here; our schema has none.
            throw new SerializationException("cannot encode JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                return data == null ? null : encode(data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                return data == null ? null : ProtobufSerde.this.serialize(headers, data); // null: a tombstone
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            /**
             * The last content-type seen and what it named: a topic's records nearly all carry
             * the same header, so it is compared, not parsed, per record. Immutable, so it may
             * be shared between stream threads without locking (at worst each parses once).
             */
            private record Seen(byte[] header, WireFormat format) {
            }

            private Seen seen;

            @Override
            public T deserialize(String topic, byte[] data) {
                return data == null ? null : decode(data, format);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                if (data == null) {
                    return null;
                }
                org.apache.kafka.common.header.Header h = headers == null ? null : headers.lastHeader(RecordHeaders.CONTENT_TYPE);
                byte[] ct = h == null ? null : h.value();
                if (ct == null) {
                    return decode(data, format);
                }
                Seen s = seen;
                if (s == null || !java.util.Arrays.equals(s.header(), ct)) {
                    WireFormat named = WireFormat.fromContentType(new String(ct, java.nio.charset.StandardCharsets.UTF_8));
                    s = new Seen(ct.clone(), named == null ? format : named);
                    seen = s;
                }
                return decode(data, s.format());
            }
        };
    }
}
