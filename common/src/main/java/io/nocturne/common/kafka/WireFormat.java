package io.nocturne.common.kafka;

import java.util.Locale;

/** How a topic's record values are encoded. Binary protobuf is the default everywhere. */
public enum WireFormat {
    /** Binary protobuf: compact, fast, the default. */
    PROTOBUF("application/x-protobuf"),
    /** Canonical proto3 JSON mapping: for consumers that cannot use protobuf. */
    JSON("application/json");

    private final String mediaType;

    WireFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type written to the {@code content-type} header (without parameters). */
    public String mediaType() {
        return mediaType;
    }

    /** Parses a configuration value: {@code protobuf} or {@code json}, any case. */
    public static WireFormat parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "protobuf", "proto", "application/x-protobuf" -> PROTOBUF;
            case "json", "application/json" -> JSON;
            default -> throw new IllegalArgumentException(
                    "unknown wire format '" + value + "' (expected protobuf or json)");
        };
    }

    /**
     * The wire format named by a {@code content-type} header value such as
     * {@code application/x-protobuf; messageType=nocturne.v1.TelemetryEvent}; null if unknown.
     */
    static WireFormat fromContentType(String contentType) {
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        for (WireFormat f : values()) {
            if (f.mediaType.equalsIgnoreCase(media)) {
                return f;
            }
        }
        return null;
    }
}
