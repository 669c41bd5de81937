package io.flotilla.testsupport.linearizability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The depth-first search for one partition. Each operation becomes a call and a return event in one
 * time-ordered doubly linked list. Walking the list, the search tries to linearize each call it meets
 * (apply it to the model and unlink both of its events); meeting a return means that operation should
 * already have been linearized, so it backtracks to the most recent choice. Lowe's improvement: a
 * (linearized set, state) pair already explored is never explored again, since a DFS that got there
 * before and came back found nothing.
 *
 * <p>Ordering of equal times: calls sort before returns, so an operation that returned at t and one
 * called at t are concurrent; real-time order needs {@code returnTime < callTime} strictly. Clocks with
 * coarse resolution then err towards accepting, never towards a false ILLEGAL.
 *
 * <p>Operations with an unknown outcome have their return events sorted last. Reaching one means every
 * completed operation has been linearized, and the timed-out ones not yet placed are taken never to have
 * happened.
 */
final class PartitionSearch<S> {

    sealed interface Outcome {
        record Linearizable() implements Outcome {
        }

        record Illegal(Counterexample counterexample) implements Outcome {
        }

        record TimedOut() implements Outcome {
        }
    }

    private static final int STEPS_BETWEEN_DEADLINE_CHECKS = 256;

    private final Model<S> model;
    private final List<Operation> operations;
    private final long deadlineNanos;

    PartitionSearch(Model<S> model, List<Operation> operations, long deadlineNanos) {
        this.model = model;
        this.operations = operations;
        this.deadlineNanos = deadlineNanos;
    }

    /** A call or return event; a call's {@code match} is its return and vice versa. */
    private static final class Entry {
        final int operationIndex;
        final Operation operation;
        final boolean isCall;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(int operationIndex, Operation operation, boolean isCall, long time) {
            this.operationIndex = operationIndex;
            this.operation = operation;
            this.isCall = isCall;
            this.time = time;
        }

        static Entry head() {
            return new Entry(-1, null, true, Long.MIN_VALUE);
        }
    }

    /** A choice to undo on backtracking: the call linearized and the states before it. */
    private record Choice<S>(Entry call, Set<S> statesBefore) {
    }

    private record Explored<S>(BitSet linearized, Set<S> states) {
    }

    Outcome run() {
        Entry head = buildEventList();
        Set<S> states = Set.of(model.initialState());
        BitSet linearized = new BitSet(operations.size());
        Set<Explored<S>> explored = new HashSet<>();
        Deque<Choice<S>> choices = new ArrayDeque<>();
        Counterexample deepestFailure = null;
        long steps = 0;

        Entry entry = head.next;
        while (head.next != null) {
            if (steps++ % STEPS_BETWEEN_DEADLINE_CHECKS == 0 && System.nanoTime() - deadlineNanos >= 0) {
                return new Outcome.TimedOut();
            }
            if (entry.isCall) {
                Set<S> next = step(states, entry.operation);
                if (!next.isEmpty()) {
                    // The cache keeps its own copy: the working set is changed in place as the search moves.
                    BitSet withCall = (BitSet) linearized.clone();
                    withCall.set(entry.operationIndex);
                    if (explored.add(new Explored<>(withCall, next))) {
                        choices.push(new Choice<>(entry, states));
                        states = next;
                        linearized.set(entry.operationIndex);
                        unlink(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
            } else if (entry.operation.outcomeUnknown()) {
                return new Outcome.Linearizable();
            } else {
                if (deepestFailure == null || choices.size() > deepestFailure.longestLinearizablePrefix().size()) {
                    deepestFailure = counterexample(head, entry, choices, states);
                }
                if (choices.isEmpty()) {
                    return new Outcome.Illegal(deepestFailure);
                }
                Choice<S> undone = choices.pop();
                states = undone.statesBefore();
                linearized.clear(undone.call().operationIndex);
                relink(undone.call());
                entry = undone.call().next;
            }
        }
        return new Outcome.Linearizable();
    }

    private Set<S> step(Set<S> states, Operation operation) {
        Set<S> next = new LinkedHashSet<>();
        for (S state : states) {
            Collection<S> successors = operation.outcomeUnknown()
                    ? model.stepWithUnknownOutput(state, operation.input())
                    : model.step(state, operation.input(), operation.output());
            next.addAll(successors);
        }
        return next.size() == 1 ? Set.of(next.iterator().next()) : Set.copyOf(next);
    }

    private Entry buildEventList() {
        List<Entry> events = new ArrayList<>(2 * operations.size());
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            Entry call = new Entry(i, operation, true, operation.callTime());
            Entry ret = new Entry(i, operation, false, operation.returnTime());
            call.match = ret;
            ret.match = call;
            events.add(call);
            events.add(ret);
        }
        events.sort(Comparator.<Entry>comparingLong(e -> e.time)
                .thenComparing(e -> !e.isCall)
                .thenComparingInt(e -> e.operationIndex));
        Entry head = Entry.head();
        Entry last = head;
        for (Entry event : events) {
            last.next = event;
            event.prev = last;
            last = event;
        }
        return head;
    }

    /** Removes a call and its return; the return always follows the call, so {@code call.next} is never null. */
    private static void unlink(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    /** Undoes {@link #unlink} in reverse order, which is valid because choices are undone last-in first-out. */
    private static void relink(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    private Counterexample counterexample(Entry head, Entry blockingReturn, Deque<Choice<S>> choices, Set<S> states) {
        List<Operation> prefix = new ArrayList<>(choices.size());
        choices.descendingIterator().forEachRemaining(choice -> prefix.add(choice.call().operation));
        List<Operation> unplaced = new ArrayList<>();
        for (Entry e = head.next; e != blockingReturn; e = e.next) {
            if (e.isCall && e.match != blockingReturn) {
                unplaced.add(e.operation);
            }
        }
        unplaced.add(blockingReturn.operation);
        String state = states.size() == 1 ? String.valueOf(states.iterator().next()) : "one of " + states;
        return new Counterexample(model.describePartition(operations), operations.size(), prefix, state, unplaced);
    }
}
