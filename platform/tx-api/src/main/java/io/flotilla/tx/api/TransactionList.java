package io.flotilla.tx.api;

import java.util.List;
import java.util.Objects;

/**
 * Answer to {@code GET /v1/transactions}: the first {@code limit} matching transactions, oldest first;
 * {@code matching} counts all of them.
 */
public record TransactionList(List<TransactionView> transactions, int matching) {

    public TransactionList {
        transactions = List.copyOf(Objects.requireNonNull(transactions, "transactions"));
    }
}
