package io.flotilla.raft;

import java.util.Objects;

/**
 * A write submitted at a follower was refused before it reached any log: the follower's proposal came back
 * refused by the node it followed (no longer the leader of that term, or handing leadership over). Unlike the
 * other failures of a submitted write, this one proves the command was not applied, so a client may repeat it.
 * The cause is a {@link NotLeaderException} naming the leader to try, or a {@link LeaderUnavailableException}.
 */
public class ProposalRefusedException extends RaftException {

    public ProposalRefusedException(RaftException cause) {
        super("proposal refused, nothing was applied: " + cause.getMessage(), Objects.requireNonNull(cause));
    }

    /** Why: a {@link NotLeaderException} or a {@link LeaderUnavailableException}. */
    public RaftException reason() {
        return (RaftException) getCause();
    }
}
