package io.flotilla.raft.client;

/**
 * A service answered something that does not match its wire contract: a missing or unknown field, a value of the
 * wrong type, a status outside the contract. {@link #field()} names where, as a JSON path ({@code branches[0].status}).
 */
public class ContractViolationException extends RuntimeException {

    private final String field;

    public ContractViolationException(String message, String field, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** Where the answer broke the contract, e.g. {@code branches[0].status}; empty for the answer as a whole. */
    public String field() {
        return field;
    }
}
