package io.flotilla.raft.rpc;

import java.util.Objects;

/**
 * A follower hands a client's command to the leader it follows, as etcd's followers do (MsgProp), instead of the
 * client's whole request travelling to the leader. {@code proposalId} is the follower's own number for it, echoed
 * in the {@link ProposeResponse}; {@code term} is the term of the leader the follower addressed, and the leader
 * appends the command only in that very term, so an answer can never belong to an earlier leader's proposal.
 * {@code clientId} is empty for a command without a session, else the command carries {@code (clientId, sequence)}
 * into the log exactly as a {@code ClientRequest} submitted at the leader would.
 */
public record ProposeRequest(String from, String to, long term, long proposalId, String clientId, long sequence,
                             byte[] command) implements RaftMessage {

    public ProposeRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(command, "command");
        if (!clientId.isEmpty() && sequence < 1) {
            throw new IllegalArgumentException("a session's sequence starts at 1, got " + sequence);
        }
    }

    public boolean hasSession() {
        return !clientId.isEmpty();
    }
}
