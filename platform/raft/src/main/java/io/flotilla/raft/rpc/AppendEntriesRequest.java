package io.flotilla.raft.rpc;

import io.flotilla.raft.log.LogEntry;

import java.util.List;

/**
 * AppendEntries (a heartbeat when {@code entries} is empty). {@code readContext} is the leader's
 * heartbeat-round number: echoing it back lets ReadIndex confirm leadership with one round.
 */
public record AppendEntriesRequest(String from, String to, long term, long prevLogIndex, long prevLogTerm,
                                   List<LogEntry> entries, long leaderCommit, long readContext)
        implements RaftMessage {

    public AppendEntriesRequest {
        entries = List.copyOf(entries);
    }
}
