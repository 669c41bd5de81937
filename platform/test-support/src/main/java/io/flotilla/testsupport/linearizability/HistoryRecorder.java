package io.flotilla.testsupport.linearizability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Records a history from any number of client threads. Call {@link #invoke} just before sending a request
 * and {@link #ok} or {@link #timeout} just after the answer (or the give-up), so that the recorded interval
 * always contains the moment the system acted.
 *
 * <p>Time comes from the injected clock: the simulator's virtual clock, or {@code System::nanoTime} for
 * real processes.
 */
public final class HistoryRecorder {

    /** An operation that has been invoked and not yet completed. */
    public record Handle(long id) {
    }

    private record Invocation(int clientId, Object input, long callTime) {
    }

    private final LongSupplier clock;
    private final Map<Long, Invocation> inFlight = new LinkedHashMap<>();
    private final List<Operation> finished = new ArrayList<>();
    private long nextId;

    public HistoryRecorder(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A recorder on {@link System#nanoTime()}, for tests against real processes. */
    public static HistoryRecorder onNanoTime() {
        return new HistoryRecorder(System::nanoTime);
    }

    public synchronized Handle invoke(int clientId, Object input) {
        Objects.requireNonNull(input, "input");
        Handle handle = new Handle(nextId++);
        inFlight.put(handle.id(), new Invocation(clientId, input, clock.getAsLong()));
        return handle;
    }

    /** The operation returned {@code output} (which may be {@code null}, e.g. a read of a missing key). */
    public synchronized void ok(Handle handle, Object output) {
        long returnTime = clock.getAsLong();
        Invocation invocation = take(handle);
        finished.add(Operation.completed(invocation.clientId(), invocation.input(), output, invocation.callTime(), returnTime));
    }

    /** The client gave up waiting: the operation may or may not have taken effect. */
    public synchronized void timeout(Handle handle) {
        Invocation invocation = take(handle);
        finished.add(Operation.timedOut(invocation.clientId(), invocation.input(), invocation.callTime()));
    }

    /**
     * The history so far. Operations still in flight are included with an unknown outcome, since whatever
     * they did may already be visible to the completed ones.
     */
    public synchronized List<Operation> operations() {
        List<Operation> history = new ArrayList<>(finished);
        inFlight.values().forEach(invocation ->
                history.add(Operation.timedOut(invocation.clientId(), invocation.input(), invocation.callTime())));
        return List.copyOf(history);
    }

    private Invocation take(Handle handle) {
        Invocation invocation = inFlight.remove(handle.id());
        if (invocation == null) {
            throw new IllegalStateException("operation " + handle.id() + " was never invoked here or has already completed");
        }
        return invocation;
    }
}
