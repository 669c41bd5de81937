package io.flotilla.id.core;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test store that survives "restarts" within one test, and counts writes. */
final class InMemoryTimestampStore implements TimestampStore {

    private final Map<WorkerId, Long> marks = new ConcurrentHashMap<>();

    private final AtomicInteger writes = new AtomicInteger();

    @Override
    public OptionalLong load(WorkerId workerId) {
        Long mark = marks.get(workerId);
        return (mark != null) ? OptionalLong.of(mark) : OptionalLong.empty();
    }

    @Override
    public void store(WorkerId workerId, long epochMillis) {
        writes.incrementAndGet();
        marks.put(workerId, epochMillis);
    }

    int writes() {
        return writes.get();
    }
}
