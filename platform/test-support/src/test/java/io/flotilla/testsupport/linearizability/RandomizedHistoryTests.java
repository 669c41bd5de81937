package io.flotilla.testsupport.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Histories generated from real sequential executions must pass; the same histories with one read made
 * impossible must fail; and on tiny random histories the checker must agree with brute force. Every
 * failure names its seed; rerun it with the command in the message.
 */
class RandomizedHistoryTests {

    private static final String SEED_PROPERTY = "flotilla.lincheck.seed";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long BASE_SEED = Long.getLong(SEED_PROPERTY, System.nanoTime());

    private static String replay(long seed) {
        return "seed " + seed + "; replay: ./mvnw -B -pl platform/test-support verify -Dtest=RandomizedHistoryTests -D"
                + SEED_PROPERTY + "=" + seed;
    }

    @Test
    void historiesOfSequentialExecutionsAreLinearizable() {
        for (int round = 0; round < 40; round++) {
            long seed = BASE_SEED + round;
            List<Operation> history = new SequentialHistoryGenerator(seed, 4, 3, 0.05).generate(150);

            CheckResult result = LinearizabilityChecker.check(new KvModel(), history, TIMEOUT);

            assertThat(result.verdict()).as(replay(seed) + "\n" + result.explanation()).isEqualTo(CheckResult.Verdict.OK);
        }
    }

    @Test
    void readOfAValueNeverWrittenMakesAHistoryIllegal() {
        for (int round = 0; round < 40; round++) {
            long seed = BASE_SEED + round;
            List<Operation> history = new ArrayList<>(new SequentialHistoryGenerator(seed, 4, 3, 0.05).generate(150));
            Random random = new Random(seed);
            List<Integer> reads = completedReads(history);
            Operation read = history.get(reads.get(random.nextInt(reads.size())));
            Operation impossible = Operation.completed(read.clientId(), read.input(), "never-written",
                    read.callTime(), read.returnTime());
            history.set(history.indexOf(read), impossible);

            CheckResult result = LinearizabilityChecker.check(new KvModel(), history, TIMEOUT);

            assertThat(result.verdict()).as(replay(seed) + "\n" + result.explanation()).isEqualTo(CheckResult.Verdict.ILLEGAL);
            Counterexample counterexample = result.counterexample().orElseThrow();
            assertThat(counterexample.partition()).as(replay(seed))
                    .isEqualTo("key '" + ((KvInput) read.input()).key() + "'");
            assertThat(counterexample.couldNotBePlaced()).as(replay(seed)).contains(impossible);
        }
    }

    @Test
    void checkerAgreesWithBruteForceOnTinyHistories() {
        int illegalSeen = 0;
        for (int round = 0; round < 400; round++) {
            long seed = BASE_SEED + round;
            List<Operation> history = tinyHistory(new Random(seed));

            boolean expected = BruteForceLinearizability.isLinearizable(history);
            CheckResult result = LinearizabilityChecker.check(new KvModel(), history, TIMEOUT);

            assertThat(result.verdict()).as(replay(seed) + "\n" + history + "\n" + result.explanation())
                    .isEqualTo(expected ? CheckResult.Verdict.OK : CheckResult.Verdict.ILLEGAL);
            illegalSeen += expected ? 0 : 1;
        }
        assertThat(illegalSeen).as("the tiny histories should exercise both verdicts").isBetween(40, 360);
    }

    /**
     * A sequentially generated history with one read or swap result replaced by a random plausible one,
     * so roughly half stay linearizable and only brute force can tell which.
     */
    private static List<Operation> tinyHistory(Random random) {
        List<Operation> history = new ArrayList<>(
                new SequentialHistoryGenerator(random.nextLong(), 3, 2, 0.15).generate(4 + random.nextInt(6)));
        int victim = random.nextInt(history.size());
        Operation original = history.get(victim);
        if (original.outcomeUnknown()) {
            return history;
        }
        Object output = switch ((KvInput) original.input()) {
            case KvInput.Get get -> {
                List<String> candidates = new ArrayList<>();
                candidates.add(null);
                history.stream().map(Operation::input)
                        .filter(input -> input instanceof KvInput.Put || input instanceof KvInput.Cas)
                        .filter(input -> ((KvInput) input).key().equals(get.key()))
                        .map(input -> input instanceof KvInput.Put put ? put.value() : ((KvInput.Cas) input).newValue())
                        .forEach(candidates::add);
                yield candidates.get(random.nextInt(candidates.size()));
            }
            case KvInput.Cas cas -> random.nextBoolean();
            case KvInput.Put put -> KvModel.Ack.OK;
        };
        history.set(victim, Operation.completed(original.clientId(), original.input(), output,
                original.callTime(), original.returnTime()));
        return history;
    }

    private static List<Integer> completedReads(List<Operation> history) {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).input() instanceof KvInput.Get && !history.get(i).outcomeUnknown()) {
                reads.add(i);
            }
        }
        return reads;
    }
}
