package io.flotilla.inventory;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@PostgresInventoryTest
class OperationsEndpointsIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Test
    void healthIsUpIncludingTheDatabase() throws Exception {
        mvc.perform(get("/actuator/health"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void prometheusShowsHttpAndPoolMeters() throws Exception {
        mvc.perform(get("/api/products")).andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("http_server_requests_seconds_count")))
            .andExpect(content().string(containsString("hikaricp_connections_active")));
    }

    @Test
    void openApiDescribesEndpoints() throws Exception {
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/api/products/{sku}")))
            .andExpect(content().string(containsString("/api/stock/reservations")));
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
    }
}
