package io.flotilla.tx.it.ledger;

/** An account: spendable balance, amounts frozen by TCC debits and amounts pending in TCC credits. */
public record Account(String id, long balance, long frozen, long incoming) {
}
