package io.flotilla.tx.core;

import java.util.List;

/** A global transaction's current state at the coordinator. */
public record TransactionView(String xid, GlobalStatus status, List<BranchView> branches) {

    public TransactionView {
        branches = List.copyOf(branches);
    }
}
