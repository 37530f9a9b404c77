package io.nocturne.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {

    private static List<SyslogFrameDecoder.Frame> feed(int max, String... chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(max));
        for (String c : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(c, StandardCharsets.ISO_8859_1));
        }
        ch.finish();
        List<SyslogFrameDecoder.Frame> out = new ArrayList<>();
        SyslogFrameDecoder.Frame f;
        while ((f = ch.readInbound()) != null) {
            out.add(f);
        }
        return out;
    }

    private static List<String> texts(List<SyslogFrameDecoder.Frame> frames) {
        return frames.stream().map(f -> new String(f.bytes(), StandardCharsets.ISO_8859_1) + (f.oversized() ? "|cut" : "")).toList();
    }

    @Test
    void splitsOctetCountedFramesWhereverTheReadsFall() {
        String a = "<13>1 - h a - - - one";
        String b = "<13>Oct 11 22:14:15 fgt: date=2026 fortigate octet-counted 3164";
        String stream = a.length() + " " + a + b.length() + " " + b;
        assertThat(texts(feed(1000, stream))).containsExactly(a, b);
        // byte by byte
        String[] bytes = stream.split("");
        assertThat(texts(feed(1000, bytes))).containsExactly(a, b);
    }

    @Test
    void splitsLfCrlfAndNulTerminatedFramesAndSkipsBlankLines() {
        assertThat(texts(feed(1000, "<13>one\n<13>two\r\n\n<13>thr", "ee\u0000<13>four\n")))
                .containsExactly("<13>one", "<13>two", "<13>three", "<13>four");
    }

    @Test
    void aLineThatStartsWithDigitsIsNotMistakenForALength() {
        assertThat(texts(feed(1000, "123 apples fell\n<13>x\n"))).containsExactly("123 apples fell", "<13>x");
    }

    @Test
    void keepsTheHeadOfAnOversizedOctetCountedFrameAndCarriesOn() {
        String big = "<13>" + "x".repeat(96);
        List<SyslogFrameDecoder.Frame> frames = feed(10, big.length() + " " + big.substring(0, 40), big.substring(40) + "9 <13>after");
        assertThat(texts(frames)).containsExactly("<13>xxxxxx|cut", "<13>after");
        assertThat(frames.get(0).declaredLength()).isEqualTo(100);
    }

    @Test
    void keepsTheHeadOfAnOverlongLineAndSkipsToItsEnd() {
        List<SyslogFrameDecoder.Frame> frames = feed(8, "<13>" + "y".repeat(50), "yyy\n<13>ok\n");
        assertThat(texts(frames)).containsExactly("<13>yyyy|cut", "<13>ok");
        assertThat(frames.get(0).declaredLength()).isEqualTo(-1);
    }

    @Test
    void aFinalMessageWithoutItsLfIsStillAMessageWhenThePeerCloses() {
        assertThat(texts(feed(1000, "<13>one\n<13>last"))).containsExactly("<13>one", "<13>last");
    }
}
