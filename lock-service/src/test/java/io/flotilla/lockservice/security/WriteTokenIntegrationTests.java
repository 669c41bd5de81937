package io.flotilla.lockservice.security;

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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** With a token set, writes without it (or with another) are 401 and take no lock; reads stay open. Real Redis. */
@SpringBootTest(properties = "flotilla.lock.server.token=lock-writes-token-for-this-test")
@AutoConfigureMockMvc
class WriteTokenIntegrationTests {

    static final TestRedis redis = RedisServers.shared().newKeyspace();
    static final String BODY = "{\"owner\":\"w1\",\"leaseMs\":30000}";

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
    void writesNeedTheTokenAndReadsDoNot() throws Exception {
        mvc.perform(post("/v1/locks/guarded").contentType(MediaType.APPLICATION_JSON).content(BODY))
            .andExpect(status().isUnauthorized())
            .andExpect(header().exists("WWW-Authenticate"))
            .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.detail").value(containsString("flotilla.lock.server.token")));
        mvc.perform(post("/v1/locks/guarded").contentType(MediaType.APPLICATION_JSON).content(BODY)
                .header("Authorization", "Bearer another-token"))
            .andExpect(status().isUnauthorized());
        mvc.perform(get("/v1/locks/guarded")).andExpect(status().isNotFound());

        mvc.perform(post("/v1/locks/guarded").contentType(MediaType.APPLICATION_JSON).content(BODY)
                .header("Authorization", "Bearer lock-writes-token-for-this-test"))
            .andExpect(status().isOk());
        mvc.perform(get("/v1/locks/guarded")).andExpect(status().isOk()).andExpect(jsonPath("$.owner").value("w1"));
        mvc.perform(delete("/v1/locks/guarded").param("owner", "w1")).andExpect(status().isUnauthorized());
        mvc.perform(delete("/v1/locks/guarded").param("owner", "w1")
                .header("Authorization", "Bearer lock-writes-token-for-this-test"))
            .andExpect(status().isNoContent());
    }
}
