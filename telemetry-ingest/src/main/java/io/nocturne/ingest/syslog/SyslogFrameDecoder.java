package io.nocturne.ingest.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a syslog TCP/TLS byte stream into messages (RFC 6587), deciding the framing per
 * message as rsyslog does, since senders differ and some switch on reconnect:
 * <ul>
 *   <li>Octet counting (§3.4.1): {@code MSG-LEN SP SYSLOG-MSG}, MSG-LEN a non-zero decimal
 *       without leading zero. FortiGate frames RFC 3164 messages this way too.</li>
 *   <li>Non-transparent framing (§3.4.2): the message ends at LF; a CR before the LF
 *       (CRLF senders) and a NUL trailer (some appliances) also end it.</li>
 * </ul>
 * A frame longer than {@code maxFrameBytes} is never buffered whole: its first
 * {@code maxFrameBytes} bytes are emitted as an {@link Frame#oversized() oversized} frame
 * (for the dead-letter topic) and the rest is skipped to the end of the frame, so the
 * connection survives. Empty lines (LF LF) are skipped.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {

    /** One framed message; {@code declaredLength} is the full length when it was cut. */
    public record Frame(byte[] bytes, boolean oversized, long declaredLength) {
    }

    /** Octet-counting MSG-LEN: at most 10 digits (RFC 6587 leaves it unbounded; 4 GiB is plenty). */
    private static final int MAX_LENGTH_DIGITS = 10;

    private final int maxFrameBytes;
    /** Bytes of the current oversized frame still to skip (octet counting), or -1 to skip to the next LF. */
    private long skipping;
    private boolean skippingToDelimiter;

    public SyslogFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (skipping > 0) {
                int n = (int) Math.min(skipping, in.readableBytes());
                in.skipBytes(n);
                skipping -= n;
                continue;
            }
            if (skippingToDelimiter) {
                int end = delimiter(in, in.readerIndex(), in.writerIndex());
                if (end < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(end + 1);
                skippingToDelimiter = false;
                continue;
            }
            int start = in.readerIndex();
            byte first = in.getByte(start);
            if (first == '\n' || first == '\r' || first == 0) {
                in.skipBytes(1); // blank line or stray trailer between frames
                continue;
            }
            if (first >= '1' && first <= '9') {
                int result = octetCounted(in, out);
                if (result == NEED_MORE) {
                    return;
                }
                if (result == DONE) {
                    continue;
                }
                // not a length after all (e.g. "123 is a number" with LF framing): fall through
            }
            if (!nonTransparent(in, out)) {
                return;
            }
        }
    }

    private static final int DONE = 0;
    private static final int NEED_MORE = 1;
    private static final int NOT_OCTET_COUNTED = 2;

    private int octetCounted(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int limit = Math.min(in.writerIndex(), start + MAX_LENGTH_DIGITS + 1);
        long length = 0;
        int i = start;
        for (; i < limit; i++) {
            byte b = in.getByte(i);
            if (b == ' ') {
                break;
            }
            if (b < '0' || b > '9') {
                return NOT_OCTET_COUNTED;
            }
            length = length * 10 + (b - '0');
        }
        if (i == limit) {
            // No SP yet: wait for more, unless the digits already ran too long to be a length.
            return i - start > MAX_LENGTH_DIGITS ? NOT_OCTET_COUNTED : NEED_MORE;
        }
        int msgStart = i + 1;
        if (msgStart < in.writerIndex() && in.getByte(msgStart) != '<' && length > 0) {
            // RFC 6587 octet counting always frames a syslog message, which starts with '<'.
            return NOT_OCTET_COUNTED;
        }
        if (length > maxFrameBytes) {
            // Keep the head (bounded) for the dead letter, skip the rest as it arrives.
            if (in.writerIndex() - msgStart < maxFrameBytes) {
                return NEED_MORE;
            }
            int keep = maxFrameBytes;
            byte[] head = new byte[keep];
            in.getBytes(msgStart, head);
            out.add(new Frame(head, true, length));
            in.readerIndex(msgStart + keep);
            skipping = length - keep;
            return DONE;
        }
        if (in.writerIndex() - msgStart < length) {
            return NEED_MORE;
        }
        byte[] frame = new byte[(int) length];
        in.getBytes(msgStart, frame);
        in.readerIndex(msgStart + (int) length);
        out.add(new Frame(frame, false, length));
        return DONE;
    }

    /** LF/CRLF/NUL-terminated frame; false when more bytes are needed. */
    private boolean nonTransparent(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = delimiter(in, start, Math.min(in.writerIndex(), start + maxFrameBytes + 1));
        if (end < 0) {
            if (in.readableBytes() > maxFrameBytes) {
                byte[] head = new byte[maxFrameBytes];
                in.readBytes(head);
                out.add(new Frame(head, true, -1));
                skippingToDelimiter = true;
                return true;
            }
            return false;
        }
        int contentEnd = end;
        if (contentEnd > start && in.getByte(contentEnd - 1) == '\r') {
            contentEnd--;
        }
        byte[] frame = new byte[contentEnd - start];
        in.getBytes(start, frame);
        in.readerIndex(end + 1);
        out.add(new Frame(frame, false, frame.length));
        return true;
    }

    private static int delimiter(ByteBuf in, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = in.getByte(i);
            if (b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        // A last message without its LF when the peer closes (common with `logger -T`
        // one-shots) is still a message.
        if (in.isReadable() && skipping == 0 && !skippingToDelimiter) {
            byte[] rest = new byte[in.readableBytes()];
            in.readBytes(rest);
            out.add(new Frame(rest, rest.length > maxFrameBytes, rest.length));
        }
    }
}
