package io.flotilla.registryservice.kv;

import io.flotilla.web.hotpath.HotPathFilter;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.registry.api.KvWriteResponse;
import io.flotilla.registry.api.SequentialKeyResponse;
import io.flotilla.registryservice.RegistryProperties;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;
import io.flotilla.registryservice.store.NotFoundException;
import io.flotilla.registryservice.store.RegistryStore;
import io.flotilla.registryservice.web.Blocking;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The KV calls of the starters' hot paths without Spring MVC: put a key, delete it, create a sequential key (a lock's
 * acquisition) and read one key, each answered as {@link KvController} answers it. In the leader's profile under 64
 * writers, Spring MVC and the servlet's asynchronous re-dispatch took about four times the samples of the Raft write
 * behind the request.
 *
 * <p>Recognised only in the plain shape clients send: a key of unreserved characters (no percent-encoding, no empty,
 * {@code .} or {@code ..} segment, no trailing slash), only the parameters of that call with plain numbers
 * ({@code cas}, {@code lease}, {@code min-index}), each at most once, a body of no declared type or
 * {@code application/octet-stream}, an {@code Accept} that takes JSON. Everything else (blocking queries, {@code ?raw},
 * {@code ?recurse}, negative numbers, unknown parameters, a form body) goes to the controller unchanged.
 */
final class KvHotPathFilter extends HotPathFilter<KvHotPathFilter.Call> {

    static final String BASE = "/v1/kv/";

    private static final String KEY_PATTERN = "/v1/kv/{*key}";

    private static final String PREFIX_PATTERN = "/v1/kv/{*prefix}";

    /** Longest number accepted here; longer ones (which may not fit a {@code long}) are the controller's to refuse. */
    private static final int MAX_DIGITS = 18;

    private final RegistryStore store;

    private final RegistryProperties properties;

    KvHotPathFilter(RegistryStore store, RegistryProperties properties, JsonMapper json,
                    HandlerExceptionResolver exceptionResolver) {
        super(json, exceptionResolver);
        this.store = store;
        this.properties = properties;
    }

    enum Kind { GET, PUT, DELETE, CREATE_SEQUENTIAL }

    /**
     * A recognised call. {@code cas}, {@code lease} and {@code minIndex} are {@code -1} when absent (a present one is
     * never negative); {@code consistency} is {@code null} when absent.
     */
    record Call(Kind kind, String key, long cas, long lease, String consistency, long minIndex)
            implements HotPathFilter.Call {

        @Override
        public String pattern() {
            return kind == Kind.CREATE_SEQUENTIAL ? PREFIX_PATTERN : KEY_PATTERN;
        }
    }

    @Override
    protected void serve(Call call, HttpServletRequest request, HttpServletResponse response) throws Exception {
        switch (call.kind()) {
            case GET -> get(call, response);
            case PUT -> {
                RegistryResult.Ok ok = await(store.write(new RegistryCommand.KvPut(call.key(), body(request),
                        call.cas() < 0 ? RegistryCommand.ANY_VERSION : call.cas(), Math.max(call.lease(), 0))));
                response.setHeader(Blocking.INDEX_HEADER, Long.toString(ok.index()));
                writeJson(response, HttpServletResponse.SC_OK, new KvWriteResponse(call.key(), ok.index()));
            }
            case CREATE_SEQUENTIAL -> {
                RegistryResult.Ok ok = await(store.write(new RegistryCommand.KvCreateSequential(call.key(),
                        body(request), Math.max(call.lease(), 0))));
                response.setHeader(Blocking.INDEX_HEADER, Long.toString(ok.index()));
                writeJson(response, HttpServletResponse.SC_CREATED, new SequentialKeyResponse(ok.key(), ok.index(),
                        ok.predecessor().isEmpty() ? null : ok.predecessor()));
            }
            case DELETE -> {
                RegistryResult.Ok ok = await(store.write(new RegistryCommand.KvDelete(call.key(),
                        call.cas() < 0 ? RegistryCommand.ANY_VERSION : call.cas())));
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                response.setHeader(Blocking.INDEX_HEADER, Long.toString(ok.index()));
            }
        }
    }

    private void get(Call call, HttpServletResponse response) throws Exception {
        ReadMode mode = ReadMode.of(call.consistency(), call.minIndex() < 0 ? null : call.minIndex());
        Blocking noBlocking = Blocking.of(null, null, properties);
        RegistryQuery.KvEntries entries = (RegistryQuery.KvEntries) await(store.watch(
                new RegistryQuery.KvGet(call.key()), mode, noBlocking.index(), noBlocking.maxWait()));
        if (entries.entries().isEmpty()) {
            throw new NotFoundException("no key " + call.key(), entries.index());
        }
        response.setHeader(Blocking.INDEX_HEADER, Long.toString(entries.index()));
        writeJson(response, HttpServletResponse.SC_OK, entries.entries().getFirst());
    }

    @Override
    protected Call recognise(HttpServletRequest request) {
        Kind kind = switch (request.getMethod()) {
            case "GET" -> Kind.GET;
            case "PUT" -> Kind.PUT;
            case "DELETE" -> Kind.DELETE;
            case "POST" -> Kind.CREATE_SEQUENTIAL;
            default -> null;
        };
        if (kind == null || !request.getContextPath().isEmpty() || !acceptsJson(request)) {
            return null;
        }
        if ((kind == Kind.PUT || kind == Kind.CREATE_SEQUENTIAL)
                && !contentTypeIs(request, "application/octet-stream")) {
            return null;
        }
        String path = request.getRequestURI();
        if (!path.startsWith(BASE) || !plainKey(path, BASE.length())) {
            return null;
        }
        return parameters(kind, path.substring(BASE.length()), request.getQueryString());
    }

    /** Non-empty segments of unreserved characters, none {@code .} or {@code ..}: what the controller reads as is. */
    private static boolean plainKey(String path, int start) {
        int segmentStart = start;
        for (int i = start; i <= path.length(); i++) {
            char c = i == path.length() ? '/' : path.charAt(i);
            if (c == '/') {
                int length = i - segmentStart;
                boolean dots = length > 0 && length <= 2 && path.charAt(segmentStart) == '.' && path.charAt(i - 1) == '.';
                if (length == 0 || dots) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (!unreserved(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    /** The call with its parameters, or {@code null} when a parameter is not one of this call's in plain form. */
    private static Call parameters(Kind kind, String key, String query) {
        long cas = -1;
        long lease = -1;
        long minIndex = -1;
        String consistency = null;
        boolean sequential = false;
        if (query != null) {
            if (query.isEmpty()) {
                return null;
            }
            for (String parameter : query.split("&", -1)) {
                int equals = parameter.indexOf('=');
                String name = equals < 0 ? parameter : parameter.substring(0, equals);
                String value = equals < 0 ? "" : parameter.substring(equals + 1);
                switch (name) {
                    case "cas" -> {
                        if (kind != Kind.PUT && kind != Kind.DELETE || cas >= 0 || (cas = number(value)) < 0) {
                            return null;
                        }
                    }
                    case "lease" -> {
                        if (kind != Kind.PUT && kind != Kind.CREATE_SEQUENTIAL || lease >= 0
                                || (lease = number(value)) < 0) {
                            return null;
                        }
                    }
                    case "min-index" -> {
                        if (kind != Kind.GET || minIndex >= 0 || (minIndex = number(value)) < 0) {
                            return null;
                        }
                    }
                    case "consistency" -> {
                        if (kind != Kind.GET || consistency != null || !letters(value)) {
                            return null;
                        }
                        consistency = value;
                    }
                    case "sequential" -> {
                        if (kind != Kind.CREATE_SEQUENTIAL || sequential || !value.isEmpty()) {
                            return null;
                        }
                        sequential = true;
                    }
                    default -> {
                        return null;
                    }
                }
            }
        }
        if (kind == Kind.CREATE_SEQUENTIAL && !sequential) {
            return null;
        }
        return new Call(kind, key, cas, lease, consistency, minIndex);
    }

    /** 1 to {@value #MAX_DIGITS} decimal digits, else {@code -1}. */
    private static long number(String value) {
        if (value.isEmpty() || value.length() > MAX_DIGITS) {
            return -1;
        }
        long number = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    private static boolean letters(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }
}
