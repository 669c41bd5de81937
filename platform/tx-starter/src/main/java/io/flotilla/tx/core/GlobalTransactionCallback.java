package io.flotilla.tx.core;

/** The work of a global transaction's initiator. */
@FunctionalInterface
public interface GlobalTransactionCallback<T> {

    T doInTransaction(GlobalTransaction transaction);
}
