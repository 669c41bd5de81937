package io.flotilla.loadbalancer.support;

import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.util.MultiValueMap;

/**
 * Reads the hashing key of a load-balancer request from its {@link RequestDataContext}: a header, a
 * cookie, or the client address (first hop of {@code X-Forwarded-For}, else the remote address that
 * {@link ClientAddressWebFilter} stores under {@link #CLIENT_ADDRESS_ATTRIBUTE}).
 * <p>
 * With a header or cookie configured and missing from the request, the client address is used.
 */
public final class RequestKeys {

    /** Request attribute holding the client's remote address (a {@link String}). */
    public static final String CLIENT_ADDRESS_ATTRIBUTE = RequestKeys.class.getName() + ".clientAddress";

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final String header;
    private final String cookie;

    /** Keys from {@code header} or {@code cookie} (either may be null), falling back to the client address. */
    public RequestKeys(String header, String cookie) {
        this.header = header == null || header.isBlank() ? null : header;
        this.cookie = cookie == null || cookie.isBlank() ? null : cookie;
    }

    /** Hashing key of {@code request}, or {@code null} when it carries none. */
    public String keyOf(Request<?> request) {
        if (!(request.getContext() instanceof RequestDataContext context) || context.getClientRequest() == null) {
            return null;
        }
        RequestData data = context.getClientRequest();
        if (header != null && data.getHeaders() != null) {
            String value = data.getHeaders().getFirst(header);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        if (cookie != null) {
            String value = firstCookie(data.getCookies(), cookie);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return clientAddress(data);
    }

    /** Client address of {@code data}: first {@code X-Forwarded-For} hop, else the remote address attribute. */
    public static String clientAddress(RequestData data) {
        if (data.getHeaders() != null) {
            String forwarded = data.getHeaders().getFirst(FORWARDED_FOR);
            if (forwarded != null) {
                int comma = forwarded.indexOf(',');
                String first = (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
                if (!first.isEmpty()) {
                    return first;
                }
            }
        }
        if (data.getAttributes() != null) {
            Object address = data.getAttributes().get(CLIENT_ADDRESS_ATTRIBUTE);
            if (address instanceof String text) {
                return text;
            }
            if (address instanceof InetSocketAddress socketAddress) {
                return socketAddress.getHostString();
            }
        }
        return null;
    }

    private static String firstCookie(MultiValueMap<String, String> cookies, String name) {
        if (cookies == null) {
            return null;
        }
        List<String> values = cookies.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
