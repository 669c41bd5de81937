package io.flotilla.examples.seatastyle.wallet;

/** A debit or credit of {@code amount} for the transfer {@code transferId}. */
public record Movement(String transferId, long amount) {
}
