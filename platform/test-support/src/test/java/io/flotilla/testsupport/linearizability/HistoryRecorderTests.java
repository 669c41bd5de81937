package io.flotilla.testsupport.linearizability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class HistoryRecorderTests {

    private final AtomicLong virtualTime = new AtomicLong();
    private final HistoryRecorder recorder = new HistoryRecorder(virtualTime::get);

    @Test
    void callAndReturnTimesComeFromTheInjectedClock() {
        virtualTime.set(5);
        HistoryRecorder.Handle put = recorder.invoke(1, new KvInput.Put("x", "1"));
        virtualTime.set(9);
        recorder.ok(put, KvModel.Ack.OK);

        assertThat(recorder.operations()).containsExactly(
                Operation.completed(1, new KvInput.Put("x", "1"), KvModel.Ack.OK, 5, 9));
    }

    @Test
    void readOfMissingKeyIsRecordedWithNullOutput() {
        HistoryRecorder.Handle get = recorder.invoke(1, new KvInput.Get("x"));
        virtualTime.set(3);
        recorder.ok(get, null);

        Operation read = recorder.operations().getFirst();
        assertThat(read.outcomeUnknown()).isFalse();
        assertThat(read.output()).isNull();
        assertThat(read.returnTime()).isEqualTo(3);
    }

    @Test
    void timedOutOperationHasAnUnknownOutcome() {
        virtualTime.set(7);
        HistoryRecorder.Handle put = recorder.invoke(2, new KvInput.Put("x", "1"));
        virtualTime.set(1_000);
        recorder.timeout(put);

        assertThat(recorder.operations()).containsExactly(Operation.timedOut(2, new KvInput.Put("x", "1"), 7));
        assertThat(recorder.operations().getFirst().returnTime()).isEqualTo(Operation.UNKNOWN_RETURN_TIME);
    }

    @Test
    void operationStillInFlightIsReportedWithAnUnknownOutcome() {
        virtualTime.set(4);
        recorder.invoke(3, new KvInput.Cas("x", null, "1"));

        assertThat(recorder.operations()).containsExactly(Operation.timedOut(3, new KvInput.Cas("x", null, "1"), 4));
    }

    @Test
    void completingAnOperationTwiceIsRejected() {
        HistoryRecorder.Handle put = recorder.invoke(1, new KvInput.Put("x", "1"));
        recorder.ok(put, KvModel.Ack.OK);

        assertThatIllegalStateException().isThrownBy(() -> recorder.timeout(put)).withMessageContaining("already completed");
    }

    @Test
    void concurrentClientsOfALinearizableStoreRecordALinearizableHistory() throws Exception {
        HistoryRecorder realTime = HistoryRecorder.onNanoTime();
        Map<String, String> store = new HashMap<>();
        int clients = 4;
        int operationsPerClient = 500;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int clientId = client;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < operationsPerClient; i++) {
                        String key = "k" + (i % 3);
                        if (i % 2 == 0) {
                            HistoryRecorder.Handle handle = realTime.invoke(clientId, new KvInput.Put(key, clientId + "-" + i));
                            synchronized (store) {
                                store.put(key, clientId + "-" + i);
                            }
                            realTime.ok(handle, KvModel.Ack.OK);
                        } else {
                            HistoryRecorder.Handle handle = realTime.invoke(clientId, new KvInput.Get(key));
                            String value;
                            synchronized (store) {
                                value = store.get(key);
                            }
                            realTime.ok(handle, value);
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }

        List<Operation> history = realTime.operations();
        CheckResult result = LinearizabilityChecker.check(new KvModel(), history, Duration.ofSeconds(30));

        assertThat(history).hasSize(clients * operationsPerClient).noneMatch(Operation::outcomeUnknown);
        assertThat(result.verdict()).as(result.explanation()).isEqualTo(CheckResult.Verdict.OK);
    }
}
