package io.flotilla.lockservice.locks;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.jdbc.JdbcLockBackend;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The service with {@code flotilla.lock.backend=jdbc}, one subclass per database: the table is created at start-up
 * and every endpoint works on it.
 */
@SpringBootTest(properties = "flotilla.lock.backend=jdbc")
@AutoConfigureMockMvc
@DirtiesContext
abstract class JdbcBackendContract {

    @Autowired
    MockMvc mvc;

    @Autowired
    LockBackend backend;

    @Test
    void locksLiveInTheDatabaseWithIncreasingTokens() throws Exception {
        assertThat(backend).isInstanceOf(JdbcLockBackend.class);
        long first = acquire("w1");
        mvc.perform(post("/v1/locks/shipment").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w2\",\"leaseMs\":30000,\"waitMs\":200}")).andExpect(status().isConflict());
        mvc.perform(get("/v1/locks/shipment")).andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.fencingToken").value(first));
        mvc.perform(put("/v1/locks/shipment/lease").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w1\",\"leaseMs\":60000}")).andExpect(status().isOk());
        mvc.perform(delete("/v1/locks/shipment").param("owner", "w2")).andExpect(status().isConflict());
        mvc.perform(delete("/v1/locks/shipment").param("owner", "w1")).andExpect(status().isNoContent());
        mvc.perform(get("/v1/locks/shipment")).andExpect(status().isNotFound());
        assertThat(acquire("w2")).isGreaterThan(first);
        mvc.perform(get("/actuator/health")).andExpect(jsonPath("$.status").value("UP"));
    }

    private long acquire(String owner) throws Exception {
        String body = mvc.perform(post("/v1/locks/shipment").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"" + owner + "\",\"leaseMs\":30000}")).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        return ((Number) JsonPath.read(body, "$.fencingToken")).longValue();
    }
}
