package io.nocturne.ingest.flow.sflow;

import com.google.protobuf.ByteString;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last datagram sequence number seen per sFlow agent and sub-agent, to count datagrams
 * lost between the agent and us (sFlow v5: sequence_number increments by one per datagram
 * per sub-agent). Bounded: past {@code maxAgents} a new agent is not tracked (counted).
 *
 * <p>UDP listeners use SO_REUSEPORT, which hashes one agent's 4-tuple to one socket and so
 * one thread: per agent, updates come in receive order.
 */
final class AgentSequences {

    /** What one datagram's sequence number says. */
    record Observation(long lost, boolean restarted, boolean untracked) {
        static final Observation NONE = new Observation(0, false, false);
        static final Observation RESTART = new Observation(0, true, false);
        static final Observation UNTRACKED = new Observation(0, false, true);
    }

    private record AgentKey(ByteString agent, long subAgent) {
    }

    /**
     * A jump forward larger than this is read as a restart rather than loss (an agent that
     * rebooted and counted up past where it was), so one reboot does not report billions lost.
     */
    static final long MAX_GAP = 1_000_000;

    private final ConcurrentHashMap<AgentKey, long[]> last = new ConcurrentHashMap<>();
    private final int maxAgents;

    AgentSequences(int maxAgents) {
        this.maxAgents = maxAgents;
    }

    Observation observe(ByteString agent, long subAgent, long sequence) {
        AgentKey key = new AgentKey(agent, subAgent);
        long[] slot = last.get(key);
        if (slot == null) {
            if (last.size() >= maxAgents) {
                return Observation.UNTRACKED;
            }
            slot = last.computeIfAbsent(key, k -> new long[] {-1});
        }
        synchronized (slot) {
            long previous = slot[0];
            slot[0] = sequence;
            if (previous < 0) {
                return Observation.NONE;
            }
            long expected = (previous + 1) & 0xFFFF_FFFFL;
            if (sequence == expected) {
                return Observation.NONE;
            }
            long gap = (sequence - expected) & 0xFFFF_FFFFL;
            if (gap <= MAX_GAP) {
                return new Observation(gap, false, false);
            }
            // Backwards (a reboot or a duplicate) or an implausible leap: start over from here.
            return Observation.RESTART;
        }
    }

    int size() {
        return last.size();
    }
}
