package io.flotilla.examples.payments;

/** A transfer of {@code amount} from one wallet to another; its id is a snowflake id from the id starter. */
public record Transfer(long id, String fromOwner, String toOwner, long amount) {
}
