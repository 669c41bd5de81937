package io.flotilla.inventory.product;

import io.flotilla.inventory.PostgresInventoryTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@PostgresInventoryTest
class ProductControllerIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Test
    void listsSeededProductsWithStock() throws Exception {
        mvc.perform(get("/api/products"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.length()").value(greaterThanOrEqualTo(6)))
            .andExpect(jsonPath("$[?(@.sku == 'FLT-MUG')].name").value("Flotilla mug"))
            .andExpect(jsonPath("$[?(@.sku == 'FLT-MUG')].priceCents").value(1299));
    }

    @Test
    void readsOneProduct() throws Exception {
        mvc.perform(get("/api/products/RAFT-BOOK"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.sku").value("RAFT-BOOK"))
            .andExpect(jsonPath("$.available").value(10))
            .andExpect(jsonPath("$.frozen").value(0));
    }

    @Test
    void unknownSkuIsNotFoundProblem() throws Exception {
        mvc.perform(get("/api/products/NOPE"))
            .andExpect(status().isNotFound())
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail").value("No product with sku 'NOPE'"));
    }
}
