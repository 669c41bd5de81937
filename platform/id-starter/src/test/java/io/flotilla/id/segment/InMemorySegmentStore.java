package io.flotilla.id.segment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link SegmentStore} in a map, recording each allocation's requested step; can be told to fail. */
final class InMemorySegmentStore implements SegmentStore {

    private final Map<String, long[]> rows = new HashMap<>();

    final List<Long> requestedSteps = new ArrayList<>();

    final AtomicInteger failuresToInject = new AtomicInteger();

    @Override
    public synchronized Segment allocate(String tag, long step) {
        if (failuresToInject.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
            throw new IdSegmentException("injected failure");
        }
        long[] row = rows.get(tag);
        if (row == null) {
            throw new UnknownTagException(tag);
        }
        requestedSteps.add(step);
        long size = (step > 0) ? step : row[1];
        long first = row[0] + 1;
        row[0] += size;
        return new Segment(tag, first, row[0], row[1]);
    }

    @Override
    public synchronized void create(String tag, long step) {
        if (rows.putIfAbsent(tag, new long[] { 0, step }) != null) {
            throw new TagExistsException(tag);
        }
    }

    synchronized List<Long> steps() {
        return List.copyOf(requestedSteps);
    }

    synchronized int allocations() {
        return requestedSteps.size();
    }
}
