package io.flotilla.raft.sim;

import java.util.PriorityQueue;

/**
 * The virtual clock and the single queue of timed events of a simulation, ordered by (time, sequence) so
 * that equal times run in the order they were scheduled. Nothing else decides what happens next, which is
 * what makes a seed replay exactly.
 */
final class SimScheduler {

    private record Event(long time, long seq, VirtualEventLoop owner, Runnable task, boolean[] cancelled)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private VirtualEventLoop running;
    private long eventsRun;

    long now() {
        return now;
    }

    long eventsRun() {
        return eventsRun;
    }

    VirtualEventLoop running() {
        return running;
    }

    /** Schedules {@code task}; when {@code owner} is given the event is skipped once that loop is dead. */
    boolean[] at(long time, VirtualEventLoop owner, Runnable task) {
        boolean[] cancelled = new boolean[1];
        queue.add(new Event(Math.max(time, now), seq++, owner, task, cancelled));
        return cancelled;
    }

    /** Runs the next live event; false when none is due at or before {@code until}. */
    boolean step(long until) {
        while (!queue.isEmpty()) {
            Event next = queue.peek();
            if (next.time() > until) {
                return false;
            }
            queue.poll();
            if (next.cancelled()[0] || (next.owner() != null && !next.owner().alive())) {
                continue;
            }
            now = next.time();
            running = next.owner();
            try {
                next.task().run();
            } finally {
                running = null;
            }
            eventsRun++;
            return true;
        }
        return false;
    }

    void advanceTo(long time) {
        now = Math.max(now, time);
    }
}
