package io.flotilla.txcoordinator.raft;

import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxChangeListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fans the state machine's change notifications out to listeners added after it was built: the state machine
 * exists before the phase-two driver that listens to it, which itself needs the log built on that machine.
 */
public final class TxChangeDispatcher implements TxChangeListener {

    private final List<TxChangeListener> listeners = new CopyOnWriteArrayList<>();

    public void add(TxChangeListener listener) {
        listeners.add(listener);
    }

    @Override
    public void changed(long index, Transaction transaction) {
        listeners.forEach(listener -> listener.changed(index, transaction));
    }

    @Override
    public void stateReplaced() {
        listeners.forEach(TxChangeListener::stateReplaced);
    }
}
