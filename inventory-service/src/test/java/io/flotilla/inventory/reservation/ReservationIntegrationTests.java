package io.flotilla.inventory.reservation;

import io.flotilla.inventory.PostgresInventoryTest;
import io.flotilla.inventory.StockLedger;
import io.flotilla.inventory.product.Product;
import io.flotilla.inventory.product.ProductRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@PostgresInventoryTest
class ReservationIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProductRepository products;

    StockLedger ledger;

    @BeforeEach
    void setUp() {
        ledger = new StockLedger(jdbc, products);
    }

    private ResultActions reserve(String id, String sku, int quantity) throws Exception {
        return mvc.perform(put("/api/reservations/{id}", id).contentType(MediaType.APPLICATION_JSON)
            .content("{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}"));
    }

    private ResultActions deduct(String id, String sku, int quantity) throws Exception {
        return mvc.perform(put("/api/deductions/{id}", id).contentType(MediaType.APPLICATION_JSON)
            .content("{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}"));
    }

    private ResultActions confirm(String id) throws Exception {
        return mvc.perform(post("/api/reservations/{id}/confirm", id));
    }

    private ResultActions cancel(String id) throws Exception {
        return mvc.perform(post("/api/reservations/{id}/cancel", id));
    }

    private void assertStock(String sku, int available, int frozen) {
        Product product = ledger.product(sku);
        assertThat(product.available()).as("available of " + sku).isEqualTo(available);
        assertThat(product.frozen()).as("frozen of " + sku).isEqualTo(frozen);
    }

    private static void isProblem(ResultActions result, int status, String detail) throws Exception {
        result.andExpect(status().is(status))
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail").value(containsString(detail)))
            .andExpect(content().string(not(containsString("at io.flotilla"))));
    }

    @Test
    void reserveFreezesAndConfirmRemovesFrozen() throws Exception {
        String sku = ledger.newProduct("tcc", 10);
        reserve("r-confirm", sku, 3).andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("TRIED"))
            .andExpect(jsonPath("$.quantity").value(3));
        assertStock(sku, 7, 3);
        confirm("r-confirm").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CONFIRMED"));
        assertStock(sku, 7, 0);
        confirm("r-confirm").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CONFIRMED"));
        reserve("r-confirm", sku, 3).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CONFIRMED"));
        assertStock(sku, 7, 0);
    }

    @Test
    void cancelReturnsFrozenAndRepeatsHarmlessly() throws Exception {
        String sku = ledger.newProduct("tcc", 10);
        reserve("r-cancel", sku, 4).andExpect(status().isOk());
        reserve("r-cancel", sku, 4).andExpect(status().isOk());
        assertStock(sku, 6, 4);
        cancel("r-cancel").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CANCELLED"));
        cancel("r-cancel").andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CANCELLED"));
        assertStock(sku, 10, 0);
    }

    @Test
    void insufficientStockIsRefusedAndChangesNothing() throws Exception {
        String sku = ledger.newProduct("tcc", 2);
        isProblem(reserve("r-short", sku, 3), 409, "Not enough stock of '" + sku + "' to reserve 3 unit(s)");
        assertStock(sku, 2, 0);
        assertThat(ledger.reservationRows("r-short")).isZero();
        isProblem(deduct("d-short", sku, 3), 409, "Not enough stock");
        assertStock(sku, 2, 0);
    }

    @Test
    void cancelBeforeTryIsAnEmptyRollbackAndTheLateTryIsRefused() throws Exception {
        String sku = ledger.newProduct("tcc", 5);
        cancel("r-suspended").andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("CANCELLED"))
            .andExpect(jsonPath("$.quantity").value(0));
        isProblem(reserve("r-suspended", sku, 1), 409, "was cancelled before this request arrived");
        assertStock(sku, 5, 0);
    }

    @Test
    void finalStatesCannotBeReversed() throws Exception {
        String sku = ledger.newProduct("tcc", 5);
        reserve("r-final-a", sku, 1).andExpect(status().isOk());
        confirm("r-final-a").andExpect(status().isOk());
        isProblem(cancel("r-final-a"), 409, "was confirmed; it cannot be cancelled");
        reserve("r-final-b", sku, 1).andExpect(status().isOk());
        cancel("r-final-b").andExpect(status().isOk());
        isProblem(confirm("r-final-b"), 409, "was cancelled; it cannot be confirmed");
        assertStock(sku, 4, 0);
    }

    @Test
    void reusedIdForAnotherQuantityIsRefused() throws Exception {
        String sku = ledger.newProduct("tcc", 5);
        reserve("r-reused", sku, 1).andExpect(status().isOk());
        isProblem(reserve("r-reused", sku, 2), 409, "already holds 1 unit(s)");
        assertStock(sku, 4, 1);
    }

    @Test
    void deductTakesStockOnceAndRepeatsHarmlessly() throws Exception {
        String sku = ledger.newProduct("xa", 5);
        deduct("d-once", sku, 2).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CONFIRMED"));
        deduct("d-once", sku, 2).andExpect(status().isOk());
        assertStock(sku, 3, 0);
    }

    @Test
    void badInputIsRejectedAndChangesNothing() throws Exception {
        String sku = ledger.newProduct("bad", 5);
        isProblem(reserve("r-bad", sku, 0), 400, "quantity must be greater than 0");
        isProblem(reserve("r-bad", " ", 1), 400, "sku must not be blank");
        isProblem(reserve("bad id!", sku, 1), 400, "reservationId must match");
        isProblem(mvc.perform(put("/api/reservations/r-bad").contentType(MediaType.APPLICATION_JSON).content("{")),
                400, "JSON object");
        isProblem(reserve("r-bad", "NO-SUCH-SKU", 1), 404, "No product with sku 'NO-SUCH-SKU'");
        isProblem(confirm("r-never"), 404, "No reservation with id 'r-never'");
        assertStock(sku, 5, 0);
        assertThat(ledger.reservationRows("r-bad")).isZero();
        assertThat(ledger.reservationRows("r-never")).isZero();
    }

    @Test
    void reservationCanBeRead() throws Exception {
        String sku = ledger.newProduct("read", 5);
        reserve("r-read", sku, 2).andExpect(status().isOk());
        mvc.perform(get("/api/reservations/r-read"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.sku").value(sku))
            .andExpect(jsonPath("$.status").value("TRIED"));
    }
}
