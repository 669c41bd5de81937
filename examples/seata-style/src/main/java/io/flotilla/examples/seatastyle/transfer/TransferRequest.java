package io.flotilla.examples.seatastyle.transfer;

/** Move {@code amount} from {@code from}'s wallet to {@code to}'s; {@code id} is the client's, used once. */
public record TransferRequest(String id, String from, String to, long amount) {
}
