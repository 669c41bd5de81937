package io.flotilla.lockservice.locks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.testsupport.redis.RedisServers;
import io.flotilla.testsupport.redis.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every endpoint and every refused input, against a real Redis. */
@SpringBootTest
@AutoConfigureMockMvc
class LockControllerIntegrationTests {

    static final TestRedis redis = RedisServers.shared().newKeyspace();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry properties) {
        properties.add("spring.data.redis.url", redis::uri);
        properties.add("flotilla.lock.key-prefix", redis::keyPrefix);
    }

    @AfterAll
    static void dropKeys() {
        redis.close();
    }

    @Autowired
    MockMvc mvc;

    @Test
    void acquireRenewInspectAndReleaseWithIncreasingTokens() throws Exception {
        long first = token(acquire("inventory", "w1", 30_000, 0).andExpect(status().isOk())
            .andExpect(jsonPath("$.name").value("inventory"))
            .andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.expiresAt").isNotEmpty()));
        mvc.perform(get("/v1/locks/inventory"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.fencingToken").value(first));
        mvc.perform(json(put("/v1/locks/inventory/lease"), "{\"owner\":\"w1\",\"leaseMs\":60000}"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.fencingToken").value(first));
        mvc.perform(delete("/v1/locks/inventory").param("owner", "w1")).andExpect(status().isNoContent());
        mvc.perform(get("/v1/locks/inventory"))
            .andExpect(status().isNotFound())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        long second = token(acquire("inventory", "w2", 30_000, 0).andExpect(status().isOk()));
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void otherOwnersGetConflicts() throws Exception {
        long token = token(acquire("held", "w1", 30_000, 0).andExpect(status().isOk()));
        acquire("held", "w2", 30_000, 100).andExpect(status().isConflict())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail").value(containsString("held by another owner")));
        mvc.perform(json(put("/v1/locks/held/lease"), "{\"owner\":\"w2\",\"leaseMs\":1000}"))
            .andExpect(status().isConflict());
        mvc.perform(delete("/v1/locks/held").param("owner", "w2")).andExpect(status().isConflict());
        mvc.perform(get("/v1/locks/held")).andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.fencingToken").value(token));
    }

    @Test
    void sameOwnerAcquiringAgainKeepsItsToken() throws Exception {
        long token = token(acquire("retry", "w1", 30_000, 0).andExpect(status().isOk()));
        assertThat(token(acquire("retry", "w1", 30_000, 0).andExpect(status().isOk()))).isEqualTo(token);
    }

    @Test
    void waiterGetsTheLockWhenTheHolderReleases() throws Exception {
        long first = token(acquire("queue", "w1", 300_000, 0).andExpect(status().isOk()));
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return token(acquire("queue", "w2", 30_000, 30_000).andExpect(status().isOk()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        mvc.perform(delete("/v1/locks/queue").param("owner", "w1")).andExpect(status().isNoContent());
        assertThat(waiter.get(60, TimeUnit.SECONDS)).isGreaterThan(first);
    }

    @Test
    void badAcquisitionsAre400AndTakeNothing() throws Exception {
        String longName = "n".repeat(257);
        acquire(longName, "w1", 1000, 0).andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.detail").value(containsString("at most 256")));
        mvc.perform(get("/v1/locks/" + longName)).andExpect(status().isBadRequest());
        acquire(" ", "w1", 1000, 0).andExpect(status().isBadRequest());
        acquire("bad", "w1", 0, 0).andExpect(status().isBadRequest());
        acquire("bad", "w1", -5, 0).andExpect(status().isBadRequest());
        acquire("bad", "w1", 3_600_001, 0).andExpect(status().isBadRequest());
        acquire("bad", "w1", 1000, -1).andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.detail").value(containsString("waitMs")));
        acquire("bad", "", 1000, 0).andExpect(status().isBadRequest());
        mvc.perform(json(post("/v1/locks/bad"), "{\"owner\":\"w1\"}")).andExpect(status().isBadRequest());
        mvc.perform(json(post("/v1/locks/bad"), "{not json")).andExpect(status().isBadRequest())
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/v1/locks/bad")).andExpect(status().isNotFound());
    }

    @Test
    void badRenewalsAndReleasesAre400AndChangeNothing() throws Exception {
        long token = token(acquire("kept", "w1", 30_000, 0).andExpect(status().isOk()));
        mvc.perform(json(put("/v1/locks/kept/lease"), "{\"owner\":\"w1\",\"leaseMs\":0}")).andExpect(status().isBadRequest());
        mvc.perform(json(put("/v1/locks/kept/lease"), "{\"owner\":\"w1\",\"leaseMs\":3600001}"))
            .andExpect(status().isBadRequest());
        mvc.perform(json(put("/v1/locks/kept/lease"), "{\"leaseMs\":1000}")).andExpect(status().isBadRequest());
        mvc.perform(delete("/v1/locks/kept")).andExpect(status().isBadRequest());
        mvc.perform(delete("/v1/locks/kept").param("owner", "")).andExpect(status().isBadRequest());
        mvc.perform(get("/v1/locks/kept")).andExpect(status().isOk())
            .andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.fencingToken").value(token));
    }

    @Test
    void expiredLeaseIsTakenByTheNextOwnerAndTheOldOwnerIsRefused() throws Exception {
        long first = token(acquire("short", "w1", 100, 0).andExpect(status().isOk()));
        long second = token(acquire("short", "w2", 30_000, 30_000).andExpect(status().isOk()));
        assertThat(second).isGreaterThan(first);
        mvc.perform(json(put("/v1/locks/short/lease"), "{\"owner\":\"w1\",\"leaseMs\":30000}"))
            .andExpect(status().isConflict());
        mvc.perform(delete("/v1/locks/short").param("owner", "w1")).andExpect(status().isConflict());
        mvc.perform(get("/v1/locks/short")).andExpect(jsonPath("$.owner").value("w2"));
    }

    private ResultActions acquire(String name, String owner, long leaseMs, long waitMs) throws Exception {
        return mvc.perform(json(post("/v1/locks/{name}", name),
                "{\"owner\":\"" + owner + "\",\"leaseMs\":" + leaseMs + ",\"waitMs\":" + waitMs + "}"));
    }

    private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return request.contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static long token(ResultActions result) throws Exception {
        return ((Number) JsonPath.read(result.andReturn().getResponse().getContentAsString(), "$.fencingToken")).longValue();
    }
}
