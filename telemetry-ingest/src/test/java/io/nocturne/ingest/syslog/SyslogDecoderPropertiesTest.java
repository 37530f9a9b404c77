package io.nocturne.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class SyslogDecoderPropertiesTest {

    private final SyslogDecoder decoder = new SyslogDecoder(ZoneOffset.UTC, Clock.systemUTC());

    @Property(tries = 2000)
    void neverThrowsOnArbitraryBytes(@ForAll @Size(max = 600) byte[] bytes) {
        assertThat(decoder.decode(bytes)).isNotNull();
    }

    @Property(tries = 2000)
    void neverThrowsOnArbitraryTextAfterAValidPri(@ForAll @IntRange(max = 191) int pri,
                                                  @ForAll @StringLength(max = 300) String rest) {
        DecodeResult<SyslogMessage> r = decoder.decode(("<" + pri + ">" + rest).getBytes(StandardCharsets.UTF_8));
        if (r instanceof DecodeResult.Decoded<SyslogMessage> d) {
            assertThat(d.value().getFacility() * 8 + d.value().getSeverity()).isEqualTo(pri);
        }
    }

    @Property(tries = 1000)
    void keepsAnyPrintableMessageOfA5424MessageExactly(@ForAll @IntRange(max = 191) int pri,
                                                      @ForAll @StringLength(min = 1, max = 200) String message) {
        String trimmed = message.replaceAll("[\\r\\n\\u0000]+$", "");
        var r = decoder.decode(("<" + pri + ">1 - host app - - - " + trimmed).getBytes(StandardCharsets.UTF_8));
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        String decodedMessage = ((DecodeResult.Decoded<SyslogMessage>) r).value().getMessage();
        if (!trimmed.startsWith("\uFEFF")) {
            assertThat(decodedMessage).isEqualTo(new String(trimmed.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }

    /** Every real device line of the corpus, for mutation. */
    private static final List<byte[]> CORPUS = corpusLines();

    private static List<byte[]> corpusLines() {
        try {
            return SyslogCorpusTest.cases().stream()
                    .map(c -> c.line().getBytes(StandardCharsets.UTF_8))
                    .filter(b -> b.length > 0)
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Real device lines cut short, with a byte changed and a byte inserted, exercise every
     * vendor path half-way through: the decoder never throws, and what it builds stays
     * proportional to what it was given (no input makes it allocate without bound).
     */
    @Property(tries = 5000)
    void mutatedDeviceLinesNeverThrowAndStayBounded(@ForAll @IntRange(min = 0, max = 10_000) int which,
                                                  @ForAll @IntRange(min = 0, max = 2_000) int cut,
                                                  @ForAll @IntRange(min = 0, max = 2_000) int flipAt,
                                                  @ForAll byte flipTo,
                                                  @ForAll @IntRange(min = 0, max = 2_000) int insertAt,
                                                  @ForAll byte inserted) {
        byte[] line = CORPUS.get(which % CORPUS.size());
        byte[] b = java.util.Arrays.copyOf(line, Math.max(1, Math.min(line.length, cut % (line.length + 1) + 1)));
        b[flipAt % b.length] = flipTo;
        int at = insertAt % (b.length + 1);
        byte[] mutated = new byte[b.length + 1];
        System.arraycopy(b, 0, mutated, 0, at);
        mutated[at] = inserted;
        System.arraycopy(b, at, mutated, at + 1, b.length - at);
        DecodeResult<SyslogMessage> r = decoder.decode(mutated);
        assertThat(r).isNotNull();
        if (r instanceof DecodeResult.Decoded<SyslogMessage> d) {
            // Text may be copied into message, fields and structured data, each at most once
            // or twice over (a UTF-8 replacement char is 3 bytes), plus fixed overhead.
            assertThat(d.value().getSerializedSize()).isLessThanOrEqualTo(12 * mutated.length + 1024);
        }
    }
}
