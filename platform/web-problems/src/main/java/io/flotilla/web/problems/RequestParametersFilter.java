package io.flotilla.web.problems;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Refuses with 400 a request whose parameters cannot be read: a broken percent-encoding ({@code %ZZ}) or bytes
 * that are not UTF-8, which Tomcat reports only when a handler first asks for a parameter (as an exception that
 * handlers would answer 500), and a NUL character, which no Flotilla API accepts and PostgreSQL cannot store.
 */
public final class RequestParametersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        if (refusal != null) {
            response.setStatus(400);
            response.setContentType(ProblemJson.CONTENT_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(ProblemJson.of(400, refusal));
            return;
        }
        chain.doFilter(request, response);
    }

    private static String refusal(HttpServletRequest request) {
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (IllegalStateException | IllegalArgumentException undecodable) {
            return "The query string or form holds an invalid percent-encoding or bytes that are not UTF-8.";
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            if (parameter.getKey().indexOf('\0') >= 0) {
                return "A parameter name holds a NUL character.";
            }
            for (String value : parameter.getValue()) {
                if (value != null && value.indexOf('\0') >= 0) {
                    return "Parameter '" + printable(parameter.getKey()) + "' holds a NUL character.";
                }
            }
        }
        return null;
    }

    private static String printable(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return shown.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
