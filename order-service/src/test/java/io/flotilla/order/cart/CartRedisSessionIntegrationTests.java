package io.flotilla.order.cart;

import io.flotilla.order.InventoryProbe;
import io.flotilla.order.ShopTestContextInitializer;
import io.flotilla.testsupport.redis.RedisServers;
import io.flotilla.testsupport.redis.TestRedis;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** {@code flotilla.order.session.store=redis}: the carts live in Spring Session Data Redis, on a real Redis. */
@SpringBootTest(properties = "flotilla.order.session.store=redis")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = ShopTestContextInitializer.class)
class CartRedisSessionIntegrationTests {

    private static final TestRedis REDIS = RedisServers.shared().newKeyspace();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", REDIS::host);
        registry.add("spring.data.redis.port", REDIS::port);
        registry.add("spring.session.data.redis.namespace", () -> REDIS.key("sessions"));
    }

    @AfterAll
    static void dropKeys() {
        REDIS.close();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    SessionRepository<?> sessions;

    @Autowired
    StringRedisTemplate redis;

    @Value("${test.inventory.jdbc-url}")
    String inventoryUrl;

    @Value("${test.inventory.jdbc-username}")
    String inventoryUser;

    @Value("${test.inventory.jdbc-password}")
    String inventoryPassword;

    @Test
    void theCartIsKeptInRedis() throws Exception {
        assertThat(sessions).isInstanceOf(RedisSessionRepository.class);
        String sku = new InventoryProbe(inventoryUrl, inventoryUser, inventoryPassword).newProduct("redis-cart", 5);
        Cookie session = mvc.perform(put("/api/cart/items/{sku}", sku).contentType(MediaType.APPLICATION_JSON)
            .content("{\"quantity\":2}")).andExpect(status().isOk()).andReturn().getResponse().getCookie("SESSION");
        assertThat(session).isNotNull();
        mvc.perform(get("/api/cart").cookie(session))
            .andExpect(jsonPath("$.items[0].sku").value(sku))
            .andExpect(jsonPath("$.items[0].quantity").value(2));
        assertThat(redis.keys(REDIS.key("sessions") + ":sessions:*")).as("sessions in Redis").hasSize(1);
    }
}
