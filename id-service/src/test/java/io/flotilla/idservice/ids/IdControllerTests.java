package io.flotilla.idservice.ids;

import java.time.Instant;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.id.core.IdGenerator;
import io.flotilla.id.core.IdLayout;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = { "flotilla.id.state-dir=${java.io.tmpdir}/flotilla-id-tests-${random.uuid}",
        "flotilla.id.datacenter-id=3", "flotilla.id.worker-id=21",
        "management.prometheus.metrics.export.enabled=true" })
@AutoConfigureMockMvc
class IdControllerTests {

    static final long START = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();

    @TestConfiguration
    static class Clock {

        @Bean
        TestClock testClock() {
            return new TestClock(START);
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    IdGenerator generator;

    @Autowired
    TestClock clock;

    private static long idOf(String json, String path) {
        return Long.parseLong(JsonPath.read(json, path));
    }

    private ResultActions expectProblem(String uri, int status, String detail) throws Exception {
        return mvc.perform(get(uri))
            .andExpect(status().is(status))
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.status").value(status))
            .andExpect(jsonPath("$.detail").value(containsString(detail)))
            .andExpect(content().string(not(containsString("at io.flotilla"))));
    }

    @Test
    void nextReturnsIdAsDecimalString() throws Exception {
        String json = mvc.perform(get("/v1/ids/next"))
            .andExpect(status().isOk())
            .andExpect(content().contentType(MediaType.APPLICATION_JSON))
            .andExpect(jsonPath("$.id").value(matchesPattern("[0-9]+")))
            .andReturn()
            .getResponse()
            .getContentAsString();
        assertThat(generator.parse(idOf(json, "$.id")).workerId()).isEqualTo(21);
    }

    @Test
    void batchReturnsIncreasingDecimalStrings() throws Exception {
        long before = generator.next();
        String json = mvc.perform(get("/v1/ids").param("count", "10000"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.ids.length()").value(10_000))
            .andReturn()
            .getResponse()
            .getContentAsString();
        List<String> ids = JsonPath.read(json, "$.ids");
        long previous = before;
        for (String id : ids) {
            assertThat(Long.parseLong(id)).isGreaterThan(previous);
            previous = Long.parseLong(id);
        }
    }

    @Test
    void parseReturnsFields() throws Exception {
        long id = generator.next();
        Instant issuedAt = Instant.ofEpochMilli(clock.millis());
        mvc.perform(get("/v1/ids/{id}", id))
            .andExpect(status().isOk())
            .andExpect(content().contentType(MediaType.APPLICATION_JSON))
            .andExpect(jsonPath("$.id").value(Long.toString(id)))
            .andExpect(jsonPath("$.timestamp").value(issuedAt.toString()))
            .andExpect(jsonPath("$.epochMillis").value(issuedAt.toEpochMilli()))
            .andExpect(jsonPath("$.datacenterId").value(3))
            .andExpect(jsonPath("$.workerId").value(21))
            .andExpect(jsonPath("$.sequence").value(generator.parse(id).sequence()));
    }

    @Test
    void batchSizeOutOfRangeIsRejectedWithoutIssuing() throws Exception {
        long issued = generator.stats().issued();
        expectProblem("/v1/ids?count=0", 400, "count must be between 1 and 10000, got 0")
            .andExpect(jsonPath("$.title").value("Invalid batch size"));
        expectProblem("/v1/ids?count=10001", 400, "count must be between 1 and 10000, got 10001");
        expectProblem("/v1/ids?count=-3", 400, "count must be between 1 and 10000, got -3");
        assertThat(generator.stats().issued()).isEqualTo(issued);
    }

    @Test
    void nonNumericOrMissingBatchSizeIsRejectedWithoutIssuing() throws Exception {
        long issued = generator.stats().issued();
        expectProblem("/v1/ids?count=abc", 400, "count must be an integer between 1 and 10000, got 'abc'");
        expectProblem("/v1/ids?count=99999999999", 400, "count must be an integer between 1 and 10000");
        expectProblem("/v1/ids", 400, "count is required: an integer between 1 and 10000");
        assertThat(generator.stats().issued()).isEqualTo(issued);
    }

    @Test
    void nonNumericIdIsRejected() throws Exception {
        expectProblem("/v1/ids/abc", 400, "id must be a non-negative decimal integer of at most 19 digits, got 'abc'");
        expectProblem("/v1/ids/99999999999999999999", 400, "id must be a non-negative decimal integer");
    }

    @Test
    void negativeIdIsRejected() throws Exception {
        expectProblem("/v1/ids/-42", 400, "Id -42 is negative").andExpect(jsonPath("$.title").value("Invalid id"));
    }

    @Test
    void idFromTheFutureIsRejected() throws Exception {
        IdLayout layout = generator.layout();
        long inAnHour = clock.millis() + 3_600_000 - layout.epochMillis();
        long future = layout.compose(inAnHour, 3, 21, 0);
        expectProblem("/v1/ids/" + future, 400, "which is in the future");
    }

    @Test
    void clockRollbackBeyondBoundIsServiceUnavailableWithRetryAfter() throws Exception {
        long last = generator.next();
        long now = clock.millis();
        clock.set(now - 1_500);
        try {
            expectProblem("/v1/ids/next", 503, "Clock moved backwards by 1500 ms")
                .andExpect(header().string("Retry-After", "2"));
            expectProblem("/v1/ids?count=10", 503, "Clock moved backwards");
        }
        finally {
            clock.set(now);
        }
        assertThat(generator.next()).isEqualTo(last + 1);
    }

    @Test
    void unknownPathIsProblemDetails() throws Exception {
        mvc.perform(get("/v1/nothing-here"))
            .andExpect(status().isNotFound())
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
