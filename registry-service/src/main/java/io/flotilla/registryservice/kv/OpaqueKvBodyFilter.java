package io.flotilla.registryservice.kv;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A KV value is opaque bytes, whatever the request says it is. {@code curl -X PUT -d blue} sends
 * {@code application/x-www-form-urlencoded}, and the servlet stack then reads such a body as form parameters (Tomcat
 * for a POST once anything asks for a parameter, Spring's form-content filter for a PUT), leaving the controller an
 * empty value. Under {@code /v1/kv/} this filter, which runs before any other, hides the form content type and
 * answers parameters from the query string only, so the body reaches the controller (and leader forwarding) as sent.
 */
public final class OpaqueKvBodyFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !MediaType.APPLICATION_FORM_URLENCODED.includes(contentType(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new QueryParametersOnly(request), response);
    }

    private static MediaType contentType(HttpServletRequest request) {
        try {
            return request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    private static final class QueryParametersOnly extends HttpServletRequestWrapper {

        private final Map<String, String[]> parameters;

        QueryParametersOnly(HttpServletRequest request) {
            super(request);
            this.parameters = Collections.unmodifiableMap(queryParameters(request.getQueryString()));
        }

        private static Map<String, String[]> queryParameters(String query) {
            Map<String, String[]> result = new LinkedHashMap<>();
            if (query == null || query.isEmpty()) {
                return result;
            }
            MultiValueMap<String, String> raw = UriComponentsBuilder.newInstance().query(query).build().getQueryParams();
            raw.forEach((name, values) -> result.put(decode(name), values.stream()
                    .map(value -> value == null ? "" : decode(value)).toArray(String[]::new)));
            return result;
        }

        private static String decode(String text) {
            return UriUtils.decode(text.replace('+', ' '), StandardCharsets.UTF_8);
        }

        @Override
        public String getContentType() {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }

        @Override
        public String getHeader(String name) {
            return "Content-Type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "Content-Type".equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(getContentType())) : super.getHeaders(name);
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }
    }
}
