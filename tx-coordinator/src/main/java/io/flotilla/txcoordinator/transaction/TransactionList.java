package io.flotilla.txcoordinator.transaction;

import java.util.List;

/** The first {@code limit} matching transactions, oldest first; {@code matching} counts all of them. */
public record TransactionList(List<TransactionView> transactions, int matching) {
}
