package io.flotilla.tx.seata.tcc;

import java.lang.reflect.Method;

/** A commit or rollback method returned {@code false}: its work is not done, and the coordinator calls it again. */
public class PhaseTwoNotDoneException extends RuntimeException {

    public PhaseTwoNotDoneException(String action, String phase, Method method, String xid, String branchId) {
        super(phase + " of " + action + " (" + method.getName() + ") returned false for " + xid + "/" + branchId
                + "; the coordinator calls it again");
    }
}
