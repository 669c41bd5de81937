package io.flotilla.lockservice.locks;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.registry.RegistryLockBackend;
import io.flotilla.testsupport.process.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The service with {@code flotilla.lock.backend=registry} and the registry's addresses, nothing else (as
 * {@code scripts/shop.stack} starts it), against a real registry-service node (a process of its own).
 */
@SpringBootTest(properties = "flotilla.lock.backend=registry")
@AutoConfigureMockMvc
class RegistryBackendIntegrationTests {

    static final TestRegistry registry = TestRegistry.builder("lock-service-registry").start();

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) {
        properties.add("flotilla.registry.addresses", registry::addressList);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    LockBackend backend;

    @Test
    void locksLiveInTheRegistryWithALeasePerOwner() throws Exception {
        assertThat(backend).isInstanceOf(RegistryLockBackend.class);
        assertThat(backend.toString()).contains("lease per acquisition");
        String body = mvc.perform(post("/v1/locks/shipment").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w1\",\"leaseMs\":30000}")).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        long token = ((Number) JsonPath.read(body, "$.fencingToken")).longValue();
        mvc.perform(post("/v1/locks/shipment").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w2\",\"leaseMs\":30000,\"waitMs\":200}")).andExpect(status().isConflict());
        mvc.perform(get("/v1/locks/shipment")).andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.fencingToken").value(token));
        mvc.perform(delete("/v1/locks/shipment").param("owner", "w2")).andExpect(status().isConflict());
        mvc.perform(delete("/v1/locks/shipment").param("owner", "w1")).andExpect(status().isNoContent());
        mvc.perform(get("/v1/locks/shipment")).andExpect(status().isNotFound());
    }
}
