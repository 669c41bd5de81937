package io.flotilla.testsupport.linearizability;

import java.util.Objects;

/**
 * One client operation as the client saw it: what it asked, what it got, and when it asked and heard back.
 * Times are in any unit the whole history shares (virtual milliseconds in the simulator, nanoseconds in
 * real tests); only their order matters.
 *
 * <p>An operation whose outcome is unknown (the client timed out, so a write may or may not have taken
 * effect) has {@code returnTime == UNKNOWN_RETURN_TIME} and no output: the checker may place it anywhere
 * after its call, with any output the model allows, or leave it out.
 *
 * @param output what the operation returned; may be {@code null} for a completed operation (a read of a
 *               missing key) and is always {@code null} for one with an unknown outcome
 */
public record Operation(int clientId, Object input, Object output, long callTime, long returnTime) {

    public static final long UNKNOWN_RETURN_TIME = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(input, "input");
        if (callTime == UNKNOWN_RETURN_TIME) {
            throw new IllegalArgumentException("callTime Long.MAX_VALUE is reserved: " + input);
        }
        if (returnTime < callTime) {
            throw new IllegalArgumentException("returned at " + returnTime + " before its call at " + callTime + ": " + input);
        }
        if (returnTime == UNKNOWN_RETURN_TIME && output != null) {
            throw new IllegalArgumentException("an operation with an unknown outcome has no output: " + input);
        }
    }

    public static Operation completed(int clientId, Object input, Object output, long callTime, long returnTime) {
        if (returnTime == UNKNOWN_RETURN_TIME) {
            throw new IllegalArgumentException("a completed operation needs a real return time: " + input);
        }
        return new Operation(clientId, input, output, callTime, returnTime);
    }

    public static Operation timedOut(int clientId, Object input, long callTime) {
        return new Operation(clientId, input, null, callTime, UNKNOWN_RETURN_TIME);
    }

    public boolean outcomeUnknown() {
        return returnTime == UNKNOWN_RETURN_TIME;
    }

    @Override
    public String toString() {
        return outcomeUnknown()
                ? "client " + clientId + " " + input + " -> ? (timed out) [" + callTime + ", never returned]"
                : "client " + clientId + " " + input + " -> " + output + " [" + callTime + ", " + returnTime + "]";
    }
}
