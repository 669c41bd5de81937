package io.flotilla.examples.seatastyle.wallet;

/** A wallet's money: {@code available} to spend, {@code frozen} by debits and {@code incoming} from credits in flight. */
public record Wallet(String owner, long available, long frozen, long incoming) {
}
