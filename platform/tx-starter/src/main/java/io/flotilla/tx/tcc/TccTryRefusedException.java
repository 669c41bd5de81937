package io.flotilla.tx.tcc;

/**
 * A try arrived after its branch had already been cancelled (or tried): running it would leave resources
 * reserved that nothing will ever release (a "suspended" branch), so it is refused.
 */
public class TccTryRefusedException extends RuntimeException {

    public TccTryRefusedException(String xid, String branchId, String resource) {
        super("try of " + resource + " for " + xid + "/" + branchId
                + " refused: the branch was already cancelled or tried (anti-suspension)");
    }
}
