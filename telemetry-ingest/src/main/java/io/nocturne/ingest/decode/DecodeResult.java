package io.nocturne.ingest.decode;

import io.nocturne.telemetry.v1.DeadLetter;
import java.util.Objects;

/**
 * What a decoder made of some bytes: a value, or the reason it could not. Decoders return
 * this instead of throwing; the pipeline turns a {@link Failed} into a dead letter.
 */
public sealed interface DecodeResult<T> {

    record Decoded<T>(T value) implements DecodeResult<T> {
        public Decoded {
            Objects.requireNonNull(value, "value");
        }
    }

    record Failed<T>(DeadLetter.Reason reason, String detail) implements DecodeResult<T> {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    static <T> DecodeResult<T> decoded(T value) {
        return new Decoded<>(value);
    }

    static <T> DecodeResult<T> failed(DeadLetter.Reason reason, String detail) {
        return new Failed<>(reason, detail);
    }
}
