package io.flotilla.raft.server;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenFilterTests {

    private final BearerTokenFilter filter = new BearerTokenFilter("s3cret", "flotilla-test", "test.token");

    @Test
    void writeWithoutTheTokenIs401AndNotHandled() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("PUT", "/v1/kv/a"), response, chain);
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"flotilla-test\"");
        assertThat(response.getContentAsString()).contains("test.token").doesNotContain("s3cret");
        assertThat(chain.getRequest()).isNull();
    }

    @Test
    void writeWithAWrongTokenIs401() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/leases");
        request.addHeader("Authorization", "Bearer s3cre");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(401);
    }

    @Test
    void writeWithTheTokenAndReadsWithoutOnePass() throws Exception {
        MockHttpServletRequest write = new MockHttpServletRequest("DELETE", "/v1/kv/a");
        write.addHeader("Authorization", "Bearer s3cret");
        MockFilterChain writeChain = new MockFilterChain();
        filter.doFilter(write, new MockHttpServletResponse(), writeChain);
        assertThat(writeChain.getRequest()).isNotNull();

        MockFilterChain readChain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/services"), new MockHttpServletResponse(), readChain);
        assertThat(readChain.getRequest()).isNotNull();
    }

    @Test
    void noTokenConfiguredLeavesWritesOpen() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        new BearerTokenFilter("", "flotilla-test", "test.token").doFilter(new MockHttpServletRequest("PUT", "/v1/kv/a"), new MockHttpServletResponse(),
                chain);
        assertThat(chain.getRequest()).isNotNull();
    }
}
