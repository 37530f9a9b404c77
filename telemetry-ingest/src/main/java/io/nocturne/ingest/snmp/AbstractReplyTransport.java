package io.nocturne.ingest.snmp;

import org.snmp4j.TransportMapping;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.TransportListener;

/**
 * The one part of SNMP4J's transport contract the receiver needs: a place to send what
 * SNMP4J encodes. It never listens (Netty does), so everything else is inert.
 */
abstract class AbstractReplyTransport implements TransportMapping<UdpAddress> {

    @Override
    public Class<? extends Address> getSupportedAddressClass() {
        return UdpAddress.class;
    }

    @Override
    public UdpAddress getListenAddress() {
        return null;
    }

    @Override
    public void addTransportListener(TransportListener transportListener) {
    }

    @Override
    public void removeTransportListener(TransportListener transportListener) {
    }

    @Override
    public void close() {
    }

    @Override
    public void listen() {
    }

    @Override
    public boolean isListening() {
        return true;
    }

    @Override
    public int getMaxInboundMessageSize() {
        return 65_535;
    }
}
