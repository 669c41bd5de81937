package io.flotilla.examples.payments;

/** What a client asks for: move {@code amount} from {@code from}'s wallet to {@code to}'s. */
public record TransferRequest(String from, String to, long amount) {
}
