package io.flotilla.testsupport.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Generates KV histories that are linearizable by construction: each client issues operations one after
 * another with random durations, each operation takes effect at a random instant inside its interval, and
 * outputs come from executing the operations in the order of those instants against a plain map. A
 * fraction of the writes time out; those take effect or not at random.
 */
final class SequentialHistoryGenerator {

    private final Random random;
    private final int clients;
    private final int keys;
    private final double timeoutProbability;

    SequentialHistoryGenerator(long seed, int clients, int keys, double timeoutProbability) {
        this.random = new Random(seed);
        this.clients = clients;
        this.keys = keys;
        this.timeoutProbability = timeoutProbability;
    }

    private record Planned(int client, KvInput input, long call, long ret, long effectAt, boolean timedOut,
                           boolean takesEffect) {
    }

    List<Operation> generate(int operations) {
        long[] clientFreeAt = new long[clients];
        Map<String, List<String>> writtenPerKey = new HashMap<>();
        List<Planned> planned = new ArrayList<>(operations);
        for (int i = 0; i < operations; i++) {
            int client = random.nextInt(clients);
            long call = clientFreeAt[client] + random.nextInt(5);
            long ret = call + 1 + random.nextInt(20);
            clientFreeAt[client] = ret + 1;
            KvInput input = nextInput(i, writtenPerKey);
            boolean timedOut = !(input instanceof KvInput.Get) && random.nextDouble() < timeoutProbability;
            long effectAt = call + (long) random.nextInt((int) (ret - call + 1));
            planned.add(new Planned(client, input, call, ret, effectAt, timedOut, !timedOut || random.nextBoolean()));
        }
        return execute(planned);
    }

    private KvInput nextInput(int sequence, Map<String, List<String>> writtenPerKey) {
        String key = "k" + random.nextInt(keys);
        List<String> written = writtenPerKey.computeIfAbsent(key, k -> new ArrayList<>());
        int kind = random.nextInt(10);
        if (kind < 4) {
            return new KvInput.Get(key);
        }
        String value = "v" + sequence;
        written.add(value);
        if (kind < 8) {
            return new KvInput.Put(key, value);
        }
        // Expect a recent value most of the time, so that some swaps succeed.
        String expected = written.size() < 2 || random.nextInt(4) == 0
                ? null
                : written.get(Math.max(0, written.size() - 2 - random.nextInt(2)));
        return new KvInput.Cas(key, expected, value);
    }

    private static List<Operation> execute(List<Planned> planned) {
        List<Planned> byEffect = new ArrayList<>(planned);
        byEffect.sort(Comparator.comparingLong(Planned::effectAt));
        Map<String, String> store = new HashMap<>();
        List<Operation> history = new ArrayList<>(planned.size());
        for (Planned p : byEffect) {
            Object output = p.takesEffect() ? apply(store, p.input()) : null;
            history.add(p.timedOut()
                    ? Operation.timedOut(p.client(), p.input(), p.call())
                    : Operation.completed(p.client(), p.input(), output, p.call(), p.ret()));
        }
        return history;
    }

    private static Object apply(Map<String, String> store, KvInput input) {
        return switch (input) {
            case KvInput.Get get -> store.get(get.key());
            case KvInput.Put put -> {
                store.put(put.key(), put.value());
                yield KvModel.Ack.OK;
            }
            case KvInput.Cas cas -> {
                boolean swapped = Objects.equals(store.get(cas.key()), cas.expected());
                if (swapped) {
                    store.put(cas.key(), cas.newValue());
                }
                yield swapped;
            }
        };
    }
}
