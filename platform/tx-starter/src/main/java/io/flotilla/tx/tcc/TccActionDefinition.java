package io.flotilla.tx.tcc;

import java.lang.reflect.Method;

/**
 * One declared TCC action, as its {@link TccActionStyle} reads it: what the try records in its fence row, and how
 * confirm and cancel run with that record (possibly in another process, after a restart).
 */
public interface TccActionDefinition {

    /** Resource name, unique within the application; part of the confirm and cancel URLs. */
    String name();

    /** How the application declared it, for messages ({@code @TccAction}). */
    default String declaredAs() {
        return "@TccAction";
    }

    /** The try method, on the bean's own class. */
    Method tryMethod();

    /**
     * What the fence row keeps of a try called with {@code arguments} in branch {@code xid}/{@code branchId}. May
     * fill in arguments the style provides to the try itself (Seata's {@code BusinessActionContext}).
     */
    String recordTry(Object[] arguments, String xid, String branchId);

    /** Runs confirm with what {@link #recordTry} recorded; throwing makes the coordinator call again later. */
    void confirm(String record, String xid, String branchId) throws Throwable;

    /** Runs cancel with what {@link #recordTry} recorded; throwing makes the coordinator call again later. */
    void cancel(String record, String xid, String branchId) throws Throwable;
}
