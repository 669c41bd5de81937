package io.flotilla.web.hotpath;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Serves a service's few hottest calls without Spring MVC, whose handler lookup, argument resolution, message
 * converters and asynchronous re-dispatch cost more than the Raft write behind a small request. A subclass recognises
 * a request in exactly the shape it handles ({@link #recognise}) and serves it ({@link #serve}); anything else goes to
 * the controller unchanged, before anything was read. The answer is the controller's: the same JSON (the
 * application's own mapper), status and headers, and every failure, unreadable bodies included, rendered by the
 * service's {@code @RestControllerAdvice} through Spring's {@link HandlerExceptionResolver}, so problem details are
 * identical (a subclass names the controller method it stands for, {@link #handler}, when the controller has
 * {@code @ExceptionHandler} methods of its own). Registered after the filters that must still see the request
 * (authentication, forwarding, signature checks); the request's metrics keep the controller's path pattern.
 *
 * <p>A call waits for its Raft future in the request's thread: one wake-up instead of the servlet's asynchronous
 * dispatch, which runs the whole filter chain a second time. Blocking queries ({@code ?index=&wait=}) are for the
 * controller, which releases the thread while they wait.
 *
 * @param <C> what {@link #recognise} found: the call and its path pattern
 */
public abstract class HotPathFilter<C extends HotPathFilter.Call> extends HttpFilter {

    /** A recognised request. */
    public interface Call {

        /** The controller's path pattern for this call, for the {@code http.server.requests} observation. */
        String pattern();
    }

    private final JsonMapper json;

    private final HandlerExceptionResolver exceptionResolver;

    protected HotPathFilter(JsonMapper json, HandlerExceptionResolver exceptionResolver) {
        this.json = Objects.requireNonNull(json, "json");
        this.exceptionResolver = Objects.requireNonNull(exceptionResolver, "exceptionResolver");
    }

    /** The call this request is, or {@code null} when it is anything the controller should see as it is. */
    protected abstract C recognise(HttpServletRequest request);

    /** Answers a recognised call; any exception is answered as the controller's would be. */
    protected abstract void serve(C call, HttpServletRequest request, HttpServletResponse response) throws Exception;

    /**
     * The controller method this call stands for, handed to the exception resolvers so that the controller's own
     * {@code @ExceptionHandler} methods answer first, as in Spring MVC; {@code null} (the default) when only the
     * application's {@code @RestControllerAdvice} does.
     */
    protected Object handler(C call) {
        return null;
    }

    @Override
    protected final void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        C call = recognise(request);
        if (call == null) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(context -> context.setPathPattern(call.pattern()));
        try {
            serve(call, request, response);
        } catch (Exception failure) {
            if (response.isCommitted()
                    || exceptionResolver.resolveException(request, response, handler(call), failure) == null) {
                throw failure instanceof ServletException servlet ? servlet : new ServletException(failure);
            }
        }
    }

    /** The request body; a body of known length is read into an array of its size, not in 16 KB chunks. */
    protected static byte[] body(HttpServletRequest request) throws IOException {
        int length = request.getContentLength();
        return length >= 0 ? request.getInputStream().readNBytes(length) : request.getInputStream().readAllBytes();
    }

    /**
     * Like {@code @RequestBody(required = false)}: an empty body is {@code null}; JSON that does not read is Spring
     * MVC's own {@link HttpMessageNotReadableException}.
     */
    protected final <T> T jsonBody(HttpServletRequest request, Class<T> type) throws IOException {
        byte[] bytes = body(request);
        if (bytes.length == 0) {
            return null;
        }
        try {
            return json.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e,
                    new ServletServerHttpRequest(request));
        }
    }

    /**
     * Like {@code @RequestBody}: an empty body, or JSON {@code null}, is Spring MVC's "Required request body is
     * missing" ({@link HttpMessageNotReadableException}).
     */
    protected final <T> T requiredJsonBody(HttpServletRequest request, Class<T> type) throws IOException {
        T body = jsonBody(request, type);
        if (body == null) {
            throw new HttpMessageNotReadableException("Required request body is missing",
                    new ServletServerHttpRequest(request));
        }
        return body;
    }

    /** {@code body} as {@code application/json} with {@code status}, as Spring MVC's Jackson converter writes it. */
    protected final void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * The future's value, waited for in this thread; a failure is thrown as itself (not wrapped), as Spring MVC hands
     * a failed {@code CompletableFuture} to the exception handlers.
     */
    protected static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException wrapped) {
            throw wrapped.getCause() instanceof Exception cause ? cause : wrapped;
        }
    }

    /** Spring MVC answers 406 to a client that accepts no JSON; leave those to it. */
    public static boolean acceptsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept == null || accept.contains("*/*") || accept.contains("application/json");
    }

    /** Whether the request's content type is {@code type} (or absent): Spring MVC answers 415 for others. */
    public static boolean contentTypeIs(HttpServletRequest request, String type) {
        String contentType = request.getContentType();
        return contentType == null || contentType.regionMatches(true, 0, type, 0, type.length());
    }
}
