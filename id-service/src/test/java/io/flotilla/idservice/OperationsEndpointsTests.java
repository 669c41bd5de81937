package io.flotilla.idservice;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = { "flotilla.id.state-dir=${java.io.tmpdir}/flotilla-id-tests-${random.uuid}",
        "management.prometheus.metrics.export.enabled=true" })
@AutoConfigureMockMvc
class OperationsEndpointsTests {

    @Autowired
    MockMvc mvc;

    @Test
    void healthIsUp() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void prometheusShowsIdMeters() throws Exception {
        mvc.perform(get("/v1/ids/next")).andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("flotilla_id_issued_total")))
            .andExpect(content().string(containsString("flotilla_id_clock_rollbacks_total{outcome=\"refused\"}")))
            .andExpect(content().string(containsString("flotilla_id_waits_total{reason=\"sequence-exhausted\"}")))
            .andExpect(content().string(containsString("flotilla_id_segment_taken_total")))
            .andExpect(content().string(containsString("flotilla_id_segment_switch_waits_total")));
    }

    @Test
    void openApiDescribesEndpoints() throws Exception {
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/v1/ids/next")))
            .andExpect(content().string(containsString("/v1/ids/{id}")))
            .andExpect(content().string(containsString("/v1/segments/{tag}/next")));
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
    }
}
