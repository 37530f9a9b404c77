package io.nocturne.ingest.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.nocturne.common.log.RateLimitedLog;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs (at a bounded rate) TLS handshakes that fail: expired or untrusted client certificates, plain TCP on the TLS port... */
final class TlsHandshakeWatch extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeWatch.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    private final MessageIngest ingest;

    TlsHandshakeWatch(MessageIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                ingest.metrics().tlsHandshakeFailures.increment();
                FAILURES.warn("listener {}: TLS handshake with {} failed: {}", ingest.listener(),
                        ctx.channel().remoteAddress(), done.cause().toString());
            }
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }
}
