package io.flotilla.tx.tcc;

/** A confirm arrived for a cancelled branch, or a cancel for a confirmed one. */
public class TccConflictException extends RuntimeException {

    public TccConflictException(String phase, String xid, String branchId, FenceStatus found) {
        super(phase + " of " + xid + "/" + branchId + " refused: the branch is already " + found);
    }
}
