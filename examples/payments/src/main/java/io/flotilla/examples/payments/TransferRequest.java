package io.flotilla.examples.payments;

import io.flotilla.tx.api.TransactionMode;

/**
 * What a client asks for: move {@code amount} from {@code from}'s wallet to {@code to}'s, as a TCC (the default) or
 * an XA global transaction.
 */
public record TransferRequest(String from, String to, long amount, TransactionMode mode) {

    public TransferRequest(String from, String to, long amount) {
        this(from, to, amount, TransactionMode.TCC);
    }
}
