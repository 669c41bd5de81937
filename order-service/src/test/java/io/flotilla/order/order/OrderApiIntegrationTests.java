package io.flotilla.order.order;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.order.InventoryProbe;
import io.flotilla.order.ShopTestContextInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * order-service's API against a real inventory-service over HTTP (through the load-balanced HTTP interface client),
 * each on its own PostgreSQL database.
 */
@SpringBootTest(properties = "management.prometheus.metrics.export.enabled=true")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = ShopTestContextInitializer.class)
class OrderApiIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient orderDb;

    @Value("${test.inventory.jdbc-url}")
    String inventoryUrl;

    @Value("${test.inventory.jdbc-username}")
    String inventoryUser;

    @Value("${test.inventory.jdbc-password}")
    String inventoryPassword;

    InventoryProbe inventory;

    @BeforeEach
    void setUp() {
        inventory = new InventoryProbe(inventoryUrl, inventoryUser, inventoryPassword);
    }

    private static MockHttpServletRequestBuilder order(String key, String userId, String sku, int quantity,
            String mode) {
        MockHttpServletRequestBuilder request = post("/api/orders").contentType(MediaType.APPLICATION_JSON)
            .content("""
                    {"userId":"%s","sku":"%s","quantity":%d,"mode":"%s"}""".formatted(userId, sku, quantity, mode));
        return key == null ? request : request.header("Idempotency-Key", key);
    }

    private int orderRows(String userId) {
        return orderDb.sql("SELECT count(*) FROM orders WHERE user_id = ?").param(userId).query(Integer.class).single();
    }

    private static ResultActions isProblem(ResultActions result, int status, String detail) throws Exception {
        return result.andExpect(status().is(status))
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail").value(containsString(detail)))
            .andExpect(content().string(not(containsString("at io.flotilla"))));
    }

    @Test
    void tccOrderIsConfirmedAndTakesTheStock() throws Exception {
        String sku = inventory.newProduct("tcc", 10);
        String body = mvc.perform(order("tcc-1", "alice", sku, 3, "TCC"))
            .andExpect(status().isCreated())
            .andExpect(header().string("Idempotent-Replayed", "false"))
            .andExpect(jsonPath("$.orderId").value(matchesPattern("[0-9]+")))
            .andExpect(jsonPath("$.status").value("CONFIRMED"))
            .andExpect(jsonPath("$.mode").value("TCC"))
            .andExpect(jsonPath("$.totalCents").value(750))
            .andReturn()
            .getResponse()
            .getContentAsString();
        inventory.awaitStock(sku, new InventoryProbe.Stock(7, 0));
        String orderId = JsonPath.read(body, "$.orderId");
        mvc.perform(get("/api/orders/{id}", orderId))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("CONFIRMED"))
            .andExpect(jsonPath("$.sku").value(sku));
    }

    @Test
    void xaOrderIsConfirmedAndTakesTheStock() throws Exception {
        String sku = inventory.newProduct("xa", 10);
        mvc.perform(order("xa-1", "alice", sku, 4, "XA"))
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.status").value("CONFIRMED"))
            .andExpect(jsonPath("$.mode").value("XA"));
        inventory.awaitStock(sku, new InventoryProbe.Stock(6, 0));
    }

    @Test
    void insufficientStockIsConflictAndTheOrderIsRecordedCancelled() throws Exception {
        String sku = inventory.newProduct("short", 2);
        for (String mode : List.of("TCC", "XA")) {
            String body = isProblem(mvc.perform(order("short-" + mode, "bob", sku, 3, mode)), 409,
                    "Not enough stock of '" + sku + "'")
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andReturn()
                .getResponse()
                .getContentAsString();
            String orderId = JsonPath.read(body, "$.orderId");
            mvc.perform(get("/api/orders/{id}", orderId))
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.reason").value(containsString("Not enough stock")));
        }
        inventory.awaitStock(sku, new InventoryProbe.Stock(2, 0));
    }

    @Test
    void badRequestsAreRejectedAndRecordNothing() throws Exception {
        String sku = inventory.newProduct("bad", 5);
        isProblem(mvc.perform(order(null, "carol", sku, 1, "TCC")), 400, "Header Idempotency-Key is required");
        isProblem(mvc.perform(order("bad-0", "carol", sku, 0, "TCC")), 400, "quantity must be greater than or equal to 1");
        isProblem(mvc.perform(order("bad-1001", "carol", sku, 1001, "TCC")), 400, "quantity must be less than or equal to 1000");
        isProblem(mvc.perform(order("bad-sku", "carol", "NO-SUCH-SKU", 1, "TCC")), 400, "Unknown sku 'NO-SUCH-SKU'");
        isProblem(mvc.perform(order("bad-mode", "carol", sku, 1, "SAGA")), 400, "mode TCC or XA");
        isProblem(mvc.perform(order("bad-user", " ", sku, 1, "TCC")), 400, "userId must not be blank");
        isProblem(mvc.perform(post("/api/orders").header("Idempotency-Key", "bad-body")
            .contentType(MediaType.APPLICATION_JSON)
            .content("{}")), 400, "quantity must not be null");
        assertThat(orderRows("carol")).isZero();
        inventory.awaitStock(sku, new InventoryProbe.Stock(5, 0));
    }

    @Test
    void sameKeyAgainReturnsTheFirstAnswerAndDoesNothingElse() throws Exception {
        String sku = inventory.newProduct("again", 10);
        String first = mvc.perform(order("again-1", "dave", sku, 2, "TCC"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
        String second = mvc.perform(order("again-1", "dave", sku, 2, "TCC"))
            .andExpect(status().isCreated())
            .andExpect(header().string("Idempotent-Replayed", "true"))
            .andReturn()
            .getResponse()
            .getContentAsString();
        assertThat(second).isEqualTo(first);
        inventory.awaitStock(sku, new InventoryProbe.Stock(8, 0));
        assertThat(orderRows("dave")).isEqualTo(1);

        String refused = isProblem(mvc.perform(order("again-2", "dave", sku, 9, "TCC")), 409, "Not enough stock")
            .andReturn().getResponse().getContentAsString();
        String refusedAgain = isProblem(mvc.perform(order("again-2", "dave", sku, 9, "TCC")), 409, "Not enough stock")
            .andExpect(header().string("Idempotent-Replayed", "true"))
            .andReturn().getResponse().getContentAsString();
        assertThat(JsonPath.<String>read(refusedAgain, "$.orderId")).isEqualTo(JsonPath.read(refused, "$.orderId"));
        assertThat(orderRows("dave")).isEqualTo(2);
    }

    @Test
    void sameKeyWithAnotherBodyIsRefused() throws Exception {
        String sku = inventory.newProduct("reuse", 10);
        mvc.perform(order("reuse-1", "erin", sku, 1, "TCC")).andExpect(status().isCreated());
        isProblem(mvc.perform(order("reuse-1", "erin", sku, 2, "TCC")), 422, "with a different request");
        inventory.awaitStock(sku, new InventoryProbe.Stock(9, 0));
    }

    @Test
    void sameKeyInParallelMakesOneOrderAndOneAnswer() throws Exception {
        String sku = inventory.newProduct("parallel", 100);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MockHttpServletResponse>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return mvc.perform(order("parallel-1", "frank", sku, 5, "TCC")).andReturn().getResponse();
                }));
            }
            start.countDown();
            List<String> orderIds = new ArrayList<>();
            int replayed = 0;
            for (Future<MockHttpServletResponse> answer : answers) {
                MockHttpServletResponse response = answer.get();
                // Copies wait on the key's lock for the first to finish, then answer with its order.
                assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(201);
                orderIds.add(JsonPath.read(response.getContentAsString(), "$.orderId"));
                replayed += "true".equals(response.getHeader("Idempotent-Replayed")) ? 1 : 0;
            }
            assertThat(orderIds).containsOnly(orderIds.getFirst());
            assertThat(replayed).isEqualTo(7);
        }
        assertThat(orderRows("frank")).isEqualTo(1);
        inventory.awaitStock(sku, new InventoryProbe.Stock(95, 0));
    }

    @Test
    void ordersAreListedByUserNewestFirst() throws Exception {
        String sku = inventory.newProduct("list", 10);
        mvc.perform(order("list-1", "grace", sku, 1, "TCC")).andExpect(status().isCreated());
        mvc.perform(order("list-2", "grace", sku, 2, "XA")).andExpect(status().isCreated());
        mvc.perform(get("/api/orders").param("userId", "grace"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.length()").value(2))
            .andExpect(jsonPath("$[0].quantity").value(2))
            .andExpect(jsonPath("$[1].quantity").value(1));
        mvc.perform(get("/api/orders").param("userId", "nobody")).andExpect(jsonPath("$.length()").value(0));
        isProblem(mvc.perform(get("/api/orders")), 400, "userId is required");
    }

    @Test
    void unknownOrMalformedOrderIdsAreProblems() throws Exception {
        isProblem(mvc.perform(get("/api/orders/12345")), 404, "No order with id 12345");
        isProblem(mvc.perform(get("/api/orders/abc")), 400, "orderId must be a decimal integer");
    }

    @Test
    void operationsEndpointsAnswer() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/prometheus"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("flotilla_id_issued_total")));
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/api/orders/{orderId}")));
    }
}
