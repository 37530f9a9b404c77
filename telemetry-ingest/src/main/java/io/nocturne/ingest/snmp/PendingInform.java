package io.nocturne.ingest.snmp;

import java.util.concurrent.atomic.AtomicBoolean;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.StateReference;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.UdpAddress;

/**
 * An INFORM waiting for its trap to be stored. RFC 3416 §4.2.7: the receiver answers with a
 * Response-PDU carrying the same request-id and variable-bindings; Nocturne does so only once
 * Kafka has acknowledged the event, so an unanswered INFORM means "not stored" and the device
 * retransmits. Exactly one of {@link #acknowledge()} or {@link #abandon()} takes effect.
 */
public final class PendingInform {

    private final MessageDispatcher dispatcher;
    private final int mpModel;
    private final int securityModel;
    private final byte[] securityName;
    private final int securityLevel;
    private final int maxSizeResponse;
    private final StateReference<UdpAddress> state;
    private final PDU request;
    private final PduHandle handle;
    private final AtomicBoolean done = new AtomicBoolean();

    PendingInform(MessageDispatcher dispatcher, int mpModel, int securityModel, byte[] securityName, int securityLevel,
                  int maxSizeResponse, StateReference<UdpAddress> state, PDU request, PduHandle handle) {
        this.dispatcher = dispatcher;
        this.mpModel = mpModel;
        this.securityModel = securityModel;
        this.securityName = securityName;
        this.securityLevel = securityLevel;
        this.maxSizeResponse = maxSizeResponse;
        this.state = state;
        this.request = request;
        this.handle = handle;
    }

    public int requestId() {
        return request.getRequestID().getValue();
    }

    /**
     * Sends the Response-PDU (for v3 secured as the INFORM was, with the same user and keys).
     *
     * @return false if it was already answered or abandoned, or could not be encoded
     */
    public boolean acknowledge() {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        PDU response = (PDU) request.clone();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(PDU.noError);
        response.setErrorIndex(0);
        try {
            dispatcher.returnResponsePdu(mpModel, securityModel, securityName, securityLevel, response,
                    maxSizeResponse, state, new StatusInformation());
            return true;
        } catch (MessageException | RuntimeException e) {
            dispatcher.releaseStateReference(mpModel, handle);
            return false;
        }
    }

    /** Not stored: no answer, and the message state SNMP4J keeps for the answer is freed. */
    public void abandon() {
        if (done.compareAndSet(false, true)) {
            dispatcher.releaseStateReference(mpModel, handle);
        }
    }
}
