package io.flotilla.lockservice;

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

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = "management.prometheus.metrics.export.enabled=true")
@AutoConfigureMockMvc
class OperationsEndpointsTests {

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
    void healthIsUpWithTheLockStore() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void prometheusShowsLockMeters() throws Exception {
        mvc.perform(post("/v1/locks/metered").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w1\",\"leaseMs\":1000}")).andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("flotilla_lock_acquire_seconds_count{backend=\"redis\",outcome=\"acquired\"}")))
            .andExpect(content().string(containsString("flotilla_lock_waits_total")))
            .andExpect(content().string(containsString("flotilla_lock_timeouts_total")))
            .andExpect(content().string(containsString("flotilla_lock_leases_lost_total")));
    }

    @Test
    void openApiDescribesEndpoints() throws Exception {
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/v1/locks/{name}")))
            .andExpect(content().string(containsString("/v1/locks/{name}/lease")));
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
    }
}
