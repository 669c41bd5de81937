package io.flotilla.idservice.ids;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.id.core.IdGenerator;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.RetryScheduler;
import io.flotilla.id.core.WorkerId;
import io.flotilla.id.core.WorkerIdProvider;
import io.flotilla.id.core.WorkerLease;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The service while its generator has lost the worker lease: 503 problem details with Retry-After, then ids again
 * under the slot leased next, without a restart. The lease and the retries are driven by hand.
 */
@SpringBootTest(properties = { "flotilla.id.state-dir=${java.io.tmpdir}/flotilla-id-tests-${random.uuid}",
        "flotilla.id.datacenter-id=3", "management.prometheus.metrics.export.enabled=true" })
@AutoConfigureMockMvc
class WorkerLeaseLossTests {

    static final long START = Instant.parse("2026-12-06T10:00:00Z").toEpochMilli();

    @TestConfiguration
    static class Leases {

        @Bean
        TestClock testClock() {
            return new TestClock(START);
        }

        @Bean
        LosableLeases losableLeases() {
            return new LosableLeases();
        }

        @Bean
        HeldRetries heldRetries() {
            return new HeldRetries();
        }
    }

    /** Grants worker ids 0, 1, 2, … of datacenter 3, each on a lease the test can lose. */
    static final class LosableLeases implements WorkerIdProvider {

        private final List<Lease> granted = new ArrayList<>();

        @Override
        public synchronized WorkerLease acquire(IdLayout layout) {
            Lease lease = new Lease(new WorkerId(3, granted.size()));
            granted.add(lease);
            return lease;
        }

        synchronized Lease current() {
            return granted.getLast();
        }
    }

    static final class Lease implements WorkerLease {

        private final WorkerId workerId;

        private final List<Runnable> listeners = new ArrayList<>();

        private volatile boolean held = true;

        Lease(WorkerId workerId) {
            this.workerId = workerId;
        }

        @Override
        public WorkerId workerId() {
            return workerId;
        }

        @Override
        public boolean isHeld() {
            return held;
        }

        @Override
        public synchronized void onLost(Runnable listener) {
            listeners.add(listener);
        }

        void lose() {
            held = false;
            List<Runnable> toCall;
            synchronized (this) {
                toCall = List.copyOf(listeners);
            }
            toCall.forEach(Runnable::run);
        }
    }

    /** Keeps the scheduled attempts until the test runs them. */
    static final class HeldRetries implements RetryScheduler {

        private final List<Runnable> tasks = new ArrayList<>();

        @Override
        public synchronized void schedule(Runnable task, Duration delay) {
            tasks.add(task);
        }

        void runAll() {
            for (;;) {
                Runnable task;
                synchronized (this) {
                    if (tasks.isEmpty()) {
                        return;
                    }
                    task = tasks.removeFirst();
                }
                task.run();
            }
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    IdGenerator generator;

    @Autowired
    LosableLeases leases;

    @Autowired
    HeldRetries retries;

    private long next() throws Exception {
        String json = mvc.perform(get("/v1/ids/next"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
        return Long.parseLong(JsonPath.read(json, "$.id"));
    }

    @Test
    void lostLeaseIsServiceUnavailableWithRetryAfterUntilASlotIsLeasedAgain() throws Exception {
        long before = next();
        assertThat(generator.parse(before).workerId()).isZero();

        leases.current().lose();
        mvc.perform(get("/v1/ids/next"))
            .andExpect(status().isServiceUnavailable())
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(header().string("Retry-After", "1"))
            .andExpect(jsonPath("$.title").value("No worker lease"))
            .andExpect(jsonPath("$.detail").value(containsString("Lease on worker slot 3-0 was lost")));
        mvc.perform(get("/v1/ids?count=10")).andExpect(status().isServiceUnavailable());
        mvc.perform(get("/actuator/prometheus"))
            .andExpect(content().string(containsString("flotilla_id_lease_held 0.0")))
            .andExpect(content().string(containsString("flotilla_id_lease_losses_total 1.0")));

        retries.runAll();
        long after = next();
        assertThat(generator.parse(after).workerId()).isEqualTo(1);
        assertThat(after).isGreaterThan(before);
        mvc.perform(get("/actuator/prometheus"))
            .andExpect(content().string(containsString("flotilla_id_lease_held 1.0")))
            .andExpect(content().string(containsString("flotilla_id_lease_regained_total 1.0")));
    }
}
