package io.flotilla.raft.sim;

import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.Role;
import io.flotilla.raft.log.LogEntry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Raft's safety properties, checked after every simulated event against the nodes' storage and status:
 * election safety, log matching, leader completeness (so committed entries survive every crash),
 * and state-machine safety plus exactly-once application of session commands.
 */
final class SafetyChecker {

    /** What a log entry is, as far as the checks care: its term, payload and predecessor's term. */
    private record EntryIdentity(long dataHash, long previousTerm) {
    }

    private record Committed(long term, long dataHash) {
    }

    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Map<String, EntryIdentity> entryIdentity = new HashMap<>();
    private final TreeMap<Long, Committed> committed = new TreeMap<>();
    private final Map<Long, Integer> appliedCommand = new HashMap<>();
    private final Map<String, Long> indexOfUniqueCommand = new HashMap<>();
    private final Set<String> leadershipsChecked = new HashSet<>();
    private final Map<String, Long> commitSeen = new HashMap<>();

    /** Records one state-machine application; a different command at a known index is a violation. */
    void applied(String nodeId, long index, byte[] command) {
        int hash = Arrays.hashCode(command);
        Integer previous = appliedCommand.putIfAbsent(index, hash);
        if (previous != null && previous != hash) {
            throw new AssertionError("state machine safety: " + nodeId + " applied a different command at index "
                    + index);
        }
        String text = new String(command, StandardCharsets.UTF_8);
        Long firstIndex = indexOfUniqueCommand.putIfAbsent(text, index);
        if (firstIndex != null && firstIndex != index) {
            throw new AssertionError("exactly-once: command " + text + " applied at index " + firstIndex
                    + " and again at " + index + " (by " + nodeId + ")");
        }
    }

    void nodeRestarted(String nodeId) {
        commitSeen.remove(nodeId);
    }

    void check(String nodeId, RaftStatus status, MemoryRaftStorage.MemoryLog log) {
        checkLogMatching(nodeId, log);
        recordCommitted(nodeId, status, log);
        if (status.role() == Role.LEADER) {
            String previous = leaderOfTerm.putIfAbsent(status.term(), nodeId);
            if (previous != null && !previous.equals(nodeId)) {
                throw new AssertionError("election safety: " + previous + " and " + nodeId
                        + " both leaders of term " + status.term());
            }
            if (leadershipsChecked.add(nodeId + "@" + status.term())) {
                checkLeaderCompleteness(nodeId, status.term(), log);
            }
        }
    }

    long committedCount() {
        return committed.size();
    }

    private void checkLogMatching(String nodeId, MemoryRaftStorage.MemoryLog log) {
        for (long index = Math.max(log.dirtyFrom, log.firstIndex()); index <= log.lastIndex(); index++) {
            LogEntry entry = log.entry(index);
            EntryIdentity identity = new EntryIdentity(hash(entry), log.term(index - 1));
            EntryIdentity known = entryIdentity.putIfAbsent(index + "@" + entry.term(), identity);
            if (known != null && !known.equals(identity)) {
                throw new AssertionError("log matching: " + nodeId + " holds a different entry or history at index "
                        + index + " term " + entry.term());
            }
        }
        log.dirtyFrom = log.lastIndex() + 1;
    }

    private void recordCommitted(String nodeId, RaftStatus status, MemoryRaftStorage.MemoryLog log) {
        long seen = commitSeen.getOrDefault(nodeId, 0L);
        for (long index = Math.max(seen + 1, log.snapshotIndex()); index <= status.commitIndex(); index++) {
            if (index == 0) {
                continue;
            }
            long term = log.term(index);
            long dataHash = index == log.snapshotIndex() ? -1 : hash(log.entry(index));
            Committed known = committed.get(index);
            if (known == null) {
                committed.put(index, new Committed(term, dataHash));
            } else if (known.term() != term || (dataHash != -1 && known.dataHash() != -1
                    && known.dataHash() != dataHash)) {
                throw new AssertionError("committed entry changed: index " + index + " committed with term "
                        + known.term() + " but " + nodeId + " committed term " + term);
            } else if (known.dataHash() == -1 && dataHash != -1) {
                committed.put(index, new Committed(term, dataHash));
            }
        }
        commitSeen.put(nodeId, Math.max(seen, status.commitIndex()));
    }

    private void checkLeaderCompleteness(String nodeId, long term, MemoryRaftStorage.MemoryLog log) {
        for (Map.Entry<Long, Committed> entry : committed.tailMap(log.snapshotIndex(), true).entrySet()) {
            long index = entry.getKey();
            if (index > log.lastIndex() || log.term(index) != entry.getValue().term()) {
                throw new AssertionError("leader completeness: " + nodeId + " leads term " + term
                        + " without committed entry " + index + " (term " + entry.getValue().term() + ")");
            }
        }
    }

    private static long hash(LogEntry entry) {
        return (Arrays.hashCode(entry.data()) * 31L + entry.type().ordinal()) * 31L + entry.term();
    }
}
