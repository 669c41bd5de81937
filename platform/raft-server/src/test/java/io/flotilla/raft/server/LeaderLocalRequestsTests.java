package io.flotilla.raft.server;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests a service's leader-local rule names: by method and Spring path pattern, however the path is spelt. */
class LeaderLocalRequestsTests {

    private final LeaderLocalRequests keepAlive = LeaderLocalRequests.matching("PUT", "/v1/leases/{id}/keepalive",
            "/v1/services/{service}/instances/{id}/heartbeat");

    @Test
    void matchesItsMethodAndPatterns() {
        assertThat(keepAlive.matches(new MockHttpServletRequest("PUT", "/v1/leases/7/keepalive"))).isTrue();
        assertThat(keepAlive.matches(new MockHttpServletRequest("PUT", "/v1/services/a/instances/b/heartbeat")))
                .isTrue();
        assertThat(keepAlive.matches(new MockHttpServletRequest("POST", "/v1/leases/7/keepalive"))).isFalse();
        assertThat(keepAlive.matches(new MockHttpServletRequest("PUT", "/v1/kv/leases/7/keepalive"))).isFalse();
        assertThat(keepAlive.matches(new MockHttpServletRequest("PUT", "/v1/leases/7"))).isFalse();
    }

    @Test
    void anEncodedOrParameterisedPathIsMatchedAsSpringMvcReadsIt() {
        // Spring MVC routes these to the keep-alive handler, so they must be forwarded as keep-alives too.
        assertThat(keepAlive.matches(new MockHttpServletRequest("PUT", "/v1/%6Ceases/7/keepalive"))).isTrue();
        assertThat(keepAlive.matches(new MockHttpServletRequest("PUT", "/v1/leases;x=1/7/keepalive"))).isTrue();
    }

    @Test
    void orMatchesEither() {
        LeaderLocalRequests either = LeaderLocalRequests.matching("DELETE", "/v1/cluster/members/{id}").or(keepAlive);
        assertThat(either.matches(new MockHttpServletRequest("DELETE", "/v1/cluster/members/n2"))).isTrue();
        assertThat(either.matches(new MockHttpServletRequest("PUT", "/v1/leases/1/keepalive"))).isTrue();
        assertThat(either.matches(new MockHttpServletRequest("PUT", "/v1/kv/a"))).isFalse();
        assertThat(LeaderLocalRequests.none().matches(new MockHttpServletRequest("PUT", "/v1/leases/1/keepalive")))
                .isFalse();
    }
}
