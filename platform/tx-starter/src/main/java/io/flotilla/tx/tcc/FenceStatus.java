package io.flotilla.tx.tcc;

/** What a fence row says happened to its branch. */
public enum FenceStatus {
    TRIED,
    CONFIRMED,
    CANCELLED
}
