package io.flotilla.examples.wallet;

/** A debit or credit of {@code amount} for the transfer {@code transferId}. */
public record Movement(long transferId, long amount) {
}
