package io.nocturne.deploy.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Marker;

/**
 * Quiets one error the embedded broker logs in normal operation. With Kafka 4's
 * transactions v2 the first produce of a new transaction to a partition may race the
 * previous commit; the broker answers CONCURRENT_TRANSACTIONS, and the batches already in
 * flight behind it fail with OutOfOrderSequenceException ("Expected sequence 0 ... with no
 * existing state", or "Out of order sequence number"). Idempotent producers retry these in
 * order (KIP-360) and nothing is lost, but the broker logs each at ERROR: under load that
 * is dozens of alarming lines a minute on the operator's console. This filter drops
 * exactly those (ReplicaManager, OutOfOrderSequenceException) and nothing else; producers
 * that do fail report it themselves.
 */
public final class TransactionRaceFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.ERROR && t instanceof OutOfOrderSequenceException
                && "kafka.server.ReplicaManager".equals(logger.getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
