package io.flotilla.raft.sim;

import io.flotilla.testsupport.linearizability.KvInput;
import io.flotilla.testsupport.linearizability.KvModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The client-observed history of a simulated run, in the shape a Wing&Gong/Porcupine-style
 * linearizability checker takes: per operation the client, the call with its input, the output (null while
 * pending: the client timed out and never learned the outcome) and virtual call/return times.
 */
final class KvHistory {

    enum Kind { PUT, GET, CAS }

    /**
     * One operation. {@code value} is the value put, or the new value of a CAS; {@code expected} the value
     * a CAS compares against; {@code output} is "OK", the value read, or "true"/"false".
     */
    record Operation(String clientId, Kind kind, String key, String expected, String value, String output,
                     long invokedAtMillis, long returnedAtMillis) {

        boolean pending() {
            return output == null;
        }
    }

    private final List<KvHistory.Operation> operations = new ArrayList<>();

    void record(KvHistory.Operation operation) {
        operations.add(operation);
    }

    List<KvHistory.Operation> operations() {
        return List.copyOf(operations);
    }

    /** The history in the linearizability checker's terms (a missing key reads as null there, "" here). */
    List<io.flotilla.testsupport.linearizability.Operation> forChecker() {
        List<io.flotilla.testsupport.linearizability.Operation> converted = new ArrayList<>();
        for (KvHistory.Operation operation : operations) {
            int client = Math.abs(operation.clientId().hashCode());
            KvInput input = switch (operation.kind()) {
                case PUT -> new KvInput.Put(operation.key(), operation.value());
                case GET -> new KvInput.Get(operation.key());
                case CAS -> new KvInput.Cas(operation.key(),
                        operation.expected().isEmpty() ? null : operation.expected(), operation.value());
            };
            if (operation.pending()) {
                converted.add(io.flotilla.testsupport.linearizability.Operation.timedOut(client, input, operation.invokedAtMillis()));
                continue;
            }
            Object output = switch (operation.kind()) {
                case PUT -> KvModel.Ack.OK;
                case GET -> operation.output().isEmpty() ? null : operation.output();
                case CAS -> Boolean.parseBoolean(operation.output());
            };
            converted.add(io.flotilla.testsupport.linearizability.Operation.completed(client, input, output, operation.invokedAtMillis(),
                    operation.returnedAtMillis()));
        }
        return converted;
    }

    long completed() {
        return operations.stream().filter(operation -> !operation.pending()).count();
    }
}
