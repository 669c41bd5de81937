package io.flotilla.registryservice.kv;

import io.flotilla.registryservice.kv.KvHotPathFilter.Call;
import io.flotilla.registryservice.kv.KvHotPathFilter.Kind;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which KV requests the hot path serves itself; everything else must reach Spring MVC untouched. */
class KvHotPathFilterTests {

    @Test
    void theStartersSingleKeyCallsAreRecognised() {
        assertThat(recognise(request("PUT", "/v1/kv/bench/k1", null)))
                .isEqualTo(new Call(Kind.PUT, "bench/k1", -1, -1, null, -1));
        assertThat(recognise(request("PUT", "/v1/kv/a/b", "cas=0&lease=42")))
                .isEqualTo(new Call(Kind.PUT, "a/b", 0, 42, null, -1));
        assertThat(recognise(request("DELETE", "/v1/kv/locks/x/00000000000000000007", "cas=7")))
                .isEqualTo(new Call(Kind.DELETE, "locks/x/00000000000000000007", 7, -1, null, -1));
        assertThat(recognise(request("POST", "/v1/kv/locks/x", "sequential&lease=3")))
                .isEqualTo(new Call(Kind.CREATE_SEQUENTIAL, "locks/x", -1, 3, null, -1));
        assertThat(recognise(request("GET", "/v1/kv/a.b_c-d~e", "consistency=stale&min-index=9")))
                .isEqualTo(new Call(Kind.GET, "a.b_c-d~e", -1, -1, "stale", 9));
        assertThat(recognise(request("GET", "/v1/kv/a", null)).pattern()).isEqualTo("/v1/kv/{*key}");
        assertThat(recognise(request("POST", "/v1/kv/q", "sequential")).pattern()).isEqualTo("/v1/kv/{*prefix}");
        MockHttpServletRequest octets = request("PUT", "/v1/kv/a", null);
        octets.setContentType("application/octet-stream");
        octets.addHeader("Accept", "application/json");
        assertThat(recognise(octets)).isNotNull();
    }

    @Test
    void everyOtherFormIsLeftToSpringMvc() {
        MockHttpServletRequest form = request("PUT", "/v1/kv/a", null);
        form.setContentType("text/plain");
        MockHttpServletRequest acceptsXml = request("GET", "/v1/kv/a", null);
        acceptsXml.addHeader("Accept", "application/xml");
        MockHttpServletRequest inContext = request("GET", "/app/v1/kv/a", null);
        inContext.setContextPath("/app");

        assertThat(recognise(form)).isNull();
        assertThat(recognise(acceptsXml)).isNull();
        assertThat(recognise(inContext)).isNull();
        for (String path : new String[] {"/v1/kv/", "/v1/kv//a", "/v1/kv/a/", "/v1/kv/a%20b", "/v1/kv/a;b",
                "/v1/kv/./a", "/v1/kv/a/..", "/v1/kv/a b", "/v1/kv/ä", "/v1/kvx/a", "/v1/services/a"}) {
            assertThat(recognise(request("GET", path, null))).as(path).isNull();
        }
        for (String query : new String[] {"", "index=3", "index=3&wait=5s", "raw", "recurse", "cas=1",
                "consistency=stale&consistency=stale", "min-index=-1", "min-index=x", "min-index=1234567890123456789",
                "consistency=st%61le", "via=controller"}) {
            assertThat(recognise(request("GET", "/v1/kv/a", query))).as(query).isNull();
        }
        for (String query : new String[] {"cas=-1", "cas=1&cas=2", "lease=", "min-index=1", "sequential"}) {
            assertThat(recognise(request("PUT", "/v1/kv/a", query))).as(query).isNull();
        }
        assertThat(recognise(request("DELETE", "/v1/kv/a", "lease=1"))).isNull();
        assertThat(recognise(request("POST", "/v1/kv/a", null))).as("POST without ?sequential").isNull();
        assertThat(recognise(request("POST", "/v1/kv/a", "sequential=yes"))).isNull();
        assertThat(recognise(request("HEAD", "/v1/kv/a", null))).isNull();
        assertThat(recognise(request("PATCH", "/v1/kv/a", null))).isNull();
    }

    private static Call recognise(MockHttpServletRequest request) {
        return new KvHotPathFilter(null, null, JsonMapper.builder().build(), (in, out, handler, failure) -> null)
                .recognise(request);
    }

    private static MockHttpServletRequest request(String method, String uri, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setQueryString(query);
        return request;
    }
}
