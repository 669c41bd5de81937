package io.flotilla.loadbalancer.support;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

class RequestKeysTests {

    @Test
    void clientAddressIsTheFirstForwardedHop() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Forwarded-For", " 203.0.113.7 , 10.0.0.2, 10.0.0.3");
        assertThat(new RequestKeys(null, null).keyOf(request(headers, new LinkedMultiValueMap<>(), "192.0.2.1")))
            .isEqualTo("203.0.113.7");
    }

    @Test
    void clientAddressFallsBackToTheRemoteAddress() {
        assertThat(new RequestKeys(null, null).keyOf(request(new HttpHeaders(), new LinkedMultiValueMap<>(), "192.0.2.1")))
            .isEqualTo("192.0.2.1");
    }

    @Test
    void configuredHeaderWinsThenCookieThenAddress() {
        RequestKeys keys = new RequestKeys("X-Tenant", "SESSION");
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Tenant", "acme");
        MultiValueMap<String, String> cookies = new LinkedMultiValueMap<>();
        cookies.add("SESSION", "s-1");
        assertThat(keys.keyOf(request(headers, cookies, "192.0.2.1"))).isEqualTo("acme");
        assertThat(keys.keyOf(request(new HttpHeaders(), cookies, "192.0.2.1"))).isEqualTo("s-1");
        assertThat(keys.keyOf(request(new HttpHeaders(), new LinkedMultiValueMap<>(), "192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void requestsWithoutDataHaveNoKey() {
        assertThat(new RequestKeys(null, null).keyOf(new DefaultRequest<>())).isNull();
        assertThat(new RequestKeys(null, null).keyOf(request(new HttpHeaders(), new LinkedMultiValueMap<>(), null))).isNull();
    }

    private static DefaultRequest<RequestDataContext> request(HttpHeaders headers, MultiValueMap<String, String> cookies,
            String remoteAddress) {
        Map<String, Object> attributes = new HashMap<>();
        if (remoteAddress != null) {
            attributes.put(RequestKeys.CLIENT_ADDRESS_ATTRIBUTE, remoteAddress);
        }
        return new DefaultRequest<>(new RequestDataContext(
                new RequestData(HttpMethod.GET, URI.create("http://svc/"), headers, cookies, attributes)));
    }
}
