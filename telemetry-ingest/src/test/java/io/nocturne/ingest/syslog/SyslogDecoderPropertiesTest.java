package io.nocturne.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
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
}
