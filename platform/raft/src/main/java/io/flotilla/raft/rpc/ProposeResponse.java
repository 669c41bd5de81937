package io.flotilla.raft.rpc;

import java.util.Objects;

/**
 * The leader's answer to a {@link ProposeRequest}, sent once the proposal's fate is known.
 *
 * <ul>
 *   <li>{@link Outcome#APPLIED}: committed at {@code index} in term {@code entryTerm}, and the state machine
 *   answered {@code result}.</li>
 *   <li>{@link Outcome#REFUSED}: not appended (the addressee is not the leader of the proposal's term, or it is
 *   handing leadership over): nothing was applied. {@code leaderHint} names the leader it knows, or is empty.</li>
 *   <li>{@link Outcome#STALE}: the session had already moved past this sequence; {@code index} holds the session's
 *   last applied sequence.</li>
 *   <li>{@link Outcome#UNKNOWN}: appended, then the leader lost leadership before it committed: it may still
 *   commit under the next leader.</li>
 * </ul>
 */
public record ProposeResponse(String from, String to, long term, long proposalId, Outcome outcome, long index,
                              long entryTerm, byte[] result, String leaderHint) implements RaftMessage {

    public enum Outcome {
        APPLIED, REFUSED, STALE, UNKNOWN;

        public static Outcome fromCode(int code) {
            Outcome[] all = values();
            if (code < 0 || code >= all.length) {
                throw new IllegalArgumentException("unknown proposal outcome " + code);
            }
            return all[code];
        }
    }

    public ProposeResponse {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(leaderHint, "leaderHint");
    }
}
