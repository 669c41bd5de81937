package io.flotilla.order.cart;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.order.InventoryProbe;
import io.flotilla.order.ShopTestContextInitializer;
import jakarta.servlet.http.Cookie;
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
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The cart's API against a real inventory-service, with the sessions in Spring Session JDBC on order-service's
 * PostgreSQL database (the default store): what a session holds, what bad input leaves (nothing), and checkout
 * through the order path.
 */
// The same context as OrderApiIntegrationTests (same properties), so that the test run starts it once.
@SpringBootTest(properties = "management.prometheus.metrics.export.enabled=true")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = ShopTestContextInitializer.class)
class CartApiIntegrationTests {

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

    @Test
    void theSessionHoldsTheCartInTheDatabase() throws Exception {
        String mug = inventory.newProduct("cart-mug", 10);
        String tee = inventory.newProduct("cart-tee", 10);
        MockHttpServletResponse first = mvc.perform(setQuantity(mug, 2, null))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.items[0].sku").value(mug))
            .andExpect(jsonPath("$.items[0].quantity").value(2))
            .andReturn()
            .getResponse();
        Cookie session = first.getCookie("SESSION");
        assertThat(session).as("the session cookie").isNotNull();
        mvc.perform(setQuantity(tee, 1, session)).andExpect(status().isOk());
        mvc.perform(setQuantity(mug, 5, session)).andExpect(status().isOk());
        mvc.perform(get("/api/cart").cookie(session))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.items.length()").value(2))
            .andExpect(jsonPath("$.items[0].sku").value(mug))
            .andExpect(jsonPath("$.items[0].quantity").value(5))
            .andExpect(jsonPath("$.items[1].sku").value(tee))
            .andExpect(jsonPath("$.totalQuantity").value(6));
        assertThat(orderDb.sql("SELECT count(*) FROM spring_session_attributes WHERE attribute_name = ?")
            .param(CartSession.ATTRIBUTE).query(Integer.class).single()).as("carts stored by Spring Session JDBC")
            .isPositive();

        mvc.perform(delete("/api/cart/items/{sku}", tee).cookie(session))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.items.length()").value(1));
        mvc.perform(get("/api/cart").cookie(session)).andExpect(jsonPath("$.totalQuantity").value(5));
        mvc.perform(get("/api/cart")).andExpect(status().isOk()).andExpect(jsonPath("$.items.length()").value(0));
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        String sku = inventory.newProduct("cart-bad", 10);
        Cookie session = mvc.perform(setQuantity(sku, 3, null)).andReturn().getResponse().getCookie("SESSION");
        isProblem(mvc.perform(setQuantity("NO-SUCH-SKU", 1, session)), 400, "Unknown sku 'NO-SUCH-SKU'");
        isProblem(mvc.perform(setQuantity("bad sku!", 1, session)), 400, "A sku is 1 to 64 letters");
        isProblem(mvc.perform(setQuantity(sku, 0, session)), 400, "quantity must be greater than or equal to 1");
        isProblem(mvc.perform(setQuantity(sku, -2, session)), 400, "quantity must be greater than or equal to 1");
        isProblem(mvc.perform(setQuantity(sku, 1001, session)), 400, "quantity must be less than or equal to 1000");
        isProblem(mvc.perform(put("/api/cart/items/{sku}", sku).cookie(session).contentType(MediaType.APPLICATION_JSON)
            .content("{\"quantity\":\"many\"}")), 400, "{quantity}");
        isProblem(mvc.perform(put("/api/cart/items/{sku}", sku).cookie(session).contentType(MediaType.APPLICATION_JSON)
            .content("{}")), 400, "quantity must not be null");
        isProblem(mvc.perform(delete("/api/cart/items/{sku}", "NOT-IN-CART").cookie(session)), 404,
                "'NOT-IN-CART' is not in the cart");
        isProblem(mvc.perform(checkout(session, "{\"userId\":\" \"}")), 400, "userId must not be blank");
        isProblem(mvc.perform(checkout(session, "{\"userId\":\"cart-grace\",\"mode\":\"SAGA\"}")), 400, "mode TCC or XA");
        mvc.perform(get("/api/cart").cookie(session))
            .andExpect(jsonPath("$.items.length()").value(1))
            .andExpect(jsonPath("$.items[0].quantity").value(3));
        assertThat(orderRows("cart-grace")).isZero();

        // Without a session: refused, and no session made for it.
        for (MockHttpServletRequestBuilder refused : new MockHttpServletRequestBuilder[] {
                setQuantity("NO-SUCH-SKU", 1, null), setQuantity(sku, 0, null),
                delete("/api/cart/items/{sku}", sku), checkout(null, "{\"userId\":\"cart-grace\"}") }) {
            MockHttpServletResponse answer = mvc.perform(refused).andReturn().getResponse();
            assertThat(answer.getStatus()).as(answer.getContentAsString()).isBetween(400, 499);
            assertThat(answer.getCookie("SESSION")).as("a session cookie on a refused request").isNull();
        }
        isProblem(mvc.perform(checkout(null, "{\"userId\":\"cart-grace\"}")), 409, "The cart is empty");
        assertThat(mvc.perform(get("/api/cart")).andReturn().getResponse().getCookie("SESSION")).isNull();
        inventory.awaitStock(sku, new InventoryProbe.Stock(10, 0));
    }

    @Test
    void checkoutPlacesAnOrderPerLineAndKeepsOnlyTheCancelledLines() throws Exception {
        String plenty = inventory.newProduct("cart-plenty", 10);
        String scarce = inventory.newProduct("cart-scarce", 1);
        Cookie session = mvc.perform(setQuantity(plenty, 4, null)).andReturn().getResponse().getCookie("SESSION");
        mvc.perform(setQuantity(scarce, 2, session)).andExpect(status().isOk());

        String answer = mvc.perform(checkout(session, "{\"userId\":\"cart-heidi\"}"))
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.orders.length()").value(2))
            .andExpect(jsonPath("$.orders[0].sku").value(plenty))
            .andExpect(jsonPath("$.orders[0].status").value("CONFIRMED"))
            .andExpect(jsonPath("$.orders[0].mode").value("TCC"))
            .andExpect(jsonPath("$.orders[1].status").value("CANCELLED"))
            .andExpect(jsonPath("$.cart.items.length()").value(1))
            .andExpect(jsonPath("$.cart.items[0].sku").value(scarce))
            .andReturn()
            .getResponse()
            .getContentAsString();
        String orderId = JsonPath.read(answer, "$.orders[0].orderId");
        mvc.perform(get("/api/orders/{id}", orderId)).andExpect(jsonPath("$.status").value("CONFIRMED"));
        inventory.awaitStock(plenty, new InventoryProbe.Stock(6, 0));
        inventory.awaitStock(scarce, new InventoryProbe.Stock(1, 0));

        // Only the cancelled line is left, and it cannot be had: 409, the cart unchanged.
        isProblem(mvc.perform(checkout(session, "{\"userId\":\"cart-heidi\",\"mode\":\"XA\"}")), 409, "the cart is unchanged")
            .andExpect(jsonPath("$.orders[0].status").value("CANCELLED"))
            .andExpect(jsonPath("$.orders[0].mode").value("XA"));
        mvc.perform(get("/api/cart").cookie(session)).andExpect(jsonPath("$.items[0].sku").value(scarce));

        inventory.awaitStock(scarce, new InventoryProbe.Stock(1, 0));
        mvc.perform(setQuantity(scarce, 1, session)).andExpect(status().isOk());
        mvc.perform(checkout(session, "{\"userId\":\"cart-heidi\",\"mode\":\"TCC\"}"))
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.orders[0].status").value("CONFIRMED"))
            .andExpect(jsonPath("$.cart.items.length()").value(0));
        inventory.awaitStock(scarce, new InventoryProbe.Stock(0, 0));
        assertThat(orderRows("cart-heidi")).isEqualTo(4);
    }

    private static MockHttpServletRequestBuilder setQuantity(String sku, int quantity, Cookie session) {
        MockHttpServletRequestBuilder request = put("/api/cart/items/{sku}", sku).contentType(MediaType.APPLICATION_JSON)
            .content("{\"quantity\":" + quantity + "}");
        return session == null ? request : request.cookie(session);
    }

    private static MockHttpServletRequestBuilder checkout(Cookie session, String body) {
        MockHttpServletRequestBuilder request = post("/api/cart/checkout").contentType(MediaType.APPLICATION_JSON)
            .content(body);
        return session == null ? request : request.cookie(session);
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
}
