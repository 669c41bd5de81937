package io.flotilla.raft.sim;

import io.flotilla.raft.runtime.Cancellable;
import io.flotilla.raft.runtime.EventLoop;

/** A node's event loop in the simulation: its tasks are events in the shared {@link SimScheduler}. */
final class VirtualEventLoop implements EventLoop {

    private final SimScheduler scheduler;
    private boolean alive = true;

    VirtualEventLoop(SimScheduler scheduler) {
        this.scheduler = scheduler;
    }

    boolean alive() {
        return alive;
    }

    /** The process died: nothing it scheduled runs any more. */
    void kill() {
        alive = false;
    }

    @Override
    public long nowMillis() {
        return scheduler.now();
    }

    @Override
    public void execute(Runnable task) {
        scheduler.at(scheduler.now(), this, task);
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = scheduler.at(scheduler.now() + delayMillis, this, task);
        return () -> cancelled[0] = true;
    }

    @Override
    public boolean inLoop() {
        return scheduler.running() == this;
    }
}
