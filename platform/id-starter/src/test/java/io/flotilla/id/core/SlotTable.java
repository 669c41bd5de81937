package io.flotilla.id.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test stand-in for the registry's worker-slot keys, with the registry provider's rules: a slot is granted only when
 * no lease holds its key (first free id wins), a lost lease keeps its key until the registry drops it, and an
 * unreachable registry grants nothing. The registry itself is exercised by the registry starter's integration tests.
 */
final class SlotTable implements WorkerIdProvider {

    private final int datacenterId;

    /** Worker id to the lease holding its key. */
    private final Map<Integer, Object> keys = new TreeMap<>();

    private final List<TableLease> granted = new ArrayList<>();

    private boolean reachable = true;

    SlotTable(int datacenterId) {
        this.datacenterId = datacenterId;
    }

    @Override
    public synchronized WorkerLease acquire(IdLayout layout) {
        if (!reachable) {
            throw new IllegalStateException("registry unreachable");
        }
        for (int workerId = 0; workerId <= layout.maxWorkerId(); workerId++) {
            if (!keys.containsKey(workerId)) {
                TableLease lease = new TableLease(new WorkerId(datacenterId, workerId));
                keys.put(workerId, lease);
                granted.add(lease);
                return lease;
            }
        }
        throw new IllegalStateException("No free worker slot");
    }

    /** Another node takes a slot. */
    synchronized void takeFor(Object holder, int workerId) {
        keys.putIfAbsent(workerId, holder);
    }

    /** The registry drops a key (its lease expired there). */
    synchronized void drop(int workerId) {
        keys.remove(workerId);
    }

    synchronized Object holderOf(int workerId) {
        return keys.get(workerId);
    }

    synchronized void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    synchronized List<TableLease> granted() {
        return List.copyOf(granted);
    }

    /** A lease on one slot; {@link #lose} is what the lease keeper does when a keep-alive is not answered in time. */
    final class TableLease implements WorkerLease {

        private final WorkerId workerId;

        private final List<Runnable> listeners = new ArrayList<>();

        private volatile boolean held = true;

        private volatile boolean closed;

        TableLease(WorkerId workerId) {
            this.workerId = workerId;
        }

        @Override
        public WorkerId workerId() {
            return workerId;
        }

        @Override
        public boolean isHeld() {
            return held;
        }

        @Override
        public void onLost(Runnable listener) {
            boolean lost;
            synchronized (this) {
                listeners.add(listener);
                lost = !held;
            }
            if (lost) {
                listener.run();
            }
        }

        /** The lease is given up locally and its listeners told; the key stays until the registry drops it. */
        void lose() {
            List<Runnable> toCall;
            synchronized (this) {
                held = false;
                toCall = List.copyOf(listeners);
            }
            toCall.forEach(Runnable::run);
        }

        /** The lease's time ran out locally, and no listener has been told yet (the keeper has not woken up). */
        void expireSilently() {
            held = false;
        }

        /** Revokes the lease, freeing its key, when the registry can be reached. */
        @Override
        public void close() {
            closed = true;
            held = false;
            synchronized (SlotTable.this) {
                if (reachable) {
                    keys.remove(workerId.workerId(), this);
                }
            }
        }

        boolean closed() {
            return closed;
        }
    }
}
