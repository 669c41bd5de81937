package io.flotilla.raft.core;

import io.flotilla.raft.storage.Snapshot;

import java.util.ArrayDeque;

/**
 * What a leader knows about one follower. In {@code PROBE} it sends one AppendEntries at a time until the
 * logs match; in {@code REPLICATE} it streams batches without waiting, up to a bounded number in flight;
 * in {@code SNAPSHOT} it sends the snapshot one chunk at a time.
 */
final class Progress {

    enum State { PROBE, REPLICATE, SNAPSHOT }

    final String id;
    State state = State.PROBE;
    long nextIndex;
    long matchIndex;
    /** Whether the single probe of this heartbeat interval is out. */
    boolean probeSent;
    /** Last index of each AppendEntries in flight, oldest first. */
    final ArrayDeque<Long> inFlight = new ArrayDeque<>();
    /** Heartbeat intervals passed with appends in flight and no answer: after two, assume they were lost. */
    int quietTicks;
    long lastContactMillis;
    /** Highest ReadIndex round the follower has acknowledged. */
    long ackedReadRound;

    Snapshot snapshot;
    long snapshotOffset;
    long snapshotSentMillis;

    Progress(String id, long nextIndex, long nowMillis) {
        this.id = id;
        this.nextIndex = nextIndex;
        this.lastContactMillis = nowMillis;
    }

    void becomeProbe() {
        state = State.PROBE;
        nextIndex = matchIndex + 1;
        probeSent = false;
        inFlight.clear();
        snapshot = null;
    }

    void becomeReplicate() {
        state = State.REPLICATE;
        nextIndex = matchIndex + 1;
        inFlight.clear();
        quietTicks = 0;
    }

    void becomeSnapshot(Snapshot latest) {
        state = State.SNAPSHOT;
        inFlight.clear();
        snapshot = latest;
        snapshotOffset = 0;
    }

    void acknowledged(long index) {
        boolean progressed = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst() <= index) {
            inFlight.pollFirst();
            progressed = true;
        }
        if (progressed) {
            quietTicks = 0;
        }
    }
}
