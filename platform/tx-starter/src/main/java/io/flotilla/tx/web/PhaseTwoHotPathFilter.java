package io.flotilla.tx.web;

import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchCall;
import io.flotilla.tx.api.MessageDelivery;
import io.flotilla.tx.message.MessageEndpoints;
import io.flotilla.web.hotpath.HotPathFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseEntity;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Serves the calls the coordinator makes on every branch of every transaction (TCC confirm and cancel, XA commit
 * and rollback, a message delivery) without Spring MVC, whose dispatch cost the participants more CPU than the
 * branch's own work in the profiles. It calls the same controller methods ({@link TccParticipantController},
 * {@link XaParticipantController}, {@link MessageEndpoints}, {@link PhaseTwoBatchController}) and writes what they return with the application's
 * JSON mapper; a failure is answered by the controller's own {@code @ExceptionHandler} methods, then the
 * application's advice, as in Spring MVC.
 *
 * <p>Registered after every other filter of the application, the phase-two signature check included, so a call that
 * reaches it was already authenticated. Recognised only in the shape the coordinator sends: {@code POST} to
 * {@code <prefix>/tcc|xa/{resource}/<action>}, {@code <prefix>/messages/{receiver}/receive} or
 * {@code <prefix>/phase-two/batch}, a resource name of
 * {@code [A-Za-z0-9._-]} (not {@code .} or {@code ..}), no query string, a JSON body, an {@code Accept} that takes
 * JSON. Anything else goes to Spring MVC unchanged, before anything was read.
 */
public final class PhaseTwoHotPathFilter extends HotPathFilter<PhaseTwoHotPathFilter.Call> {

    /** The controller methods this filter stands for. */
    enum Kind {
        TCC_CONFIRM("tcc", "{resource}", "confirm"),
        TCC_CANCEL("tcc", "{resource}", "cancel"),
        XA_COMMIT("xa", "{resource}", "commit"),
        XA_ROLLBACK("xa", "{resource}", "rollback"),
        MESSAGE_RECEIVE("messages", "{receiver}", "receive"),
        /** One path for all: a batch names its resources in its body. */
        BATCH("phase-two", null, "batch");

        private final String area;
        /** The path variable between area and action, or null for a call on no one resource. */
        private final String variable;
        private final String action;

        Kind(String area, String variable, String action) {
            this.area = area;
            this.variable = variable;
            this.action = action;
        }

        /** The controller's path pattern under {@code prefix}. */
        String pattern(String prefix) {
            return prefix + "/" + area + "/" + (variable == null ? "" : variable + "/") + action;
        }
    }

    /** A recognised call: which one, on which resource (or receiver), with the controller's path pattern. */
    record Call(Kind kind, String resource, String pattern) implements HotPathFilter.Call {
    }

    private final String prefix;
    private final TccParticipantController tcc;
    private final XaParticipantController xa;
    private final MessageEndpoints messages;
    private final PhaseTwoBatchController batches;
    private final String batchPath;
    private final Map<Kind, HandlerMethod> handlers = new EnumMap<>(Kind.class);
    private final Map<Kind, String> patterns = new EnumMap<>(Kind.class);

    /**
     * @param prefix   {@code flotilla.tx.participant.path-prefix}
     * @param tcc      null when the application has no TCC endpoints (and so on for {@code xa}, {@code messages} and
     *                 {@code batches})
     */
    public PhaseTwoHotPathFilter(String prefix, TccParticipantController tcc, XaParticipantController xa,
                                 MessageEndpoints messages, PhaseTwoBatchController batches, JsonMapper json,
                                 HandlerExceptionResolver exceptionResolver) {
        super(json, exceptionResolver);
        this.prefix = prefix;
        this.tcc = tcc;
        this.xa = xa;
        this.messages = messages;
        this.batches = batches;
        this.batchPath = Kind.BATCH.pattern(prefix);
        try {
            if (tcc != null) {
                handlers.put(Kind.TCC_CONFIRM, handler(tcc, "confirm", String.class, BranchCall.class));
                handlers.put(Kind.TCC_CANCEL, handler(tcc, "cancel", String.class, BranchCall.class));
            }
            if (xa != null) {
                handlers.put(Kind.XA_COMMIT, handler(xa, "commit", String.class, BranchCall.class));
                handlers.put(Kind.XA_ROLLBACK, handler(xa, "rollback", String.class, BranchCall.class));
            }
            if (messages != null) {
                handlers.put(Kind.MESSAGE_RECEIVE, handler(messages, "receive", String.class, MessageDelivery.class));
            }
            if (batches != null) {
                handlers.put(Kind.BATCH, handler(batches, "batch", BranchBatch.class));
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        handlers.keySet().forEach(kind -> patterns.put(kind, kind.pattern(prefix)));
    }

    private static HandlerMethod handler(Object controller, String name, Class<?>... parameterTypes)
            throws NoSuchMethodException {
        return new HandlerMethod(controller, name, parameterTypes);
    }

    @Override
    protected Object handler(Call call) {
        return handlers.get(call.kind());
    }

    @Override
    protected void serve(Call call, HttpServletRequest request, HttpServletResponse response) throws Exception {
        int ok = HttpServletResponse.SC_OK;
        switch (call.kind()) {
            case TCC_CONFIRM -> writeJson(response, ok, tcc.confirm(call.resource(), branchCall(request)));
            case TCC_CANCEL -> writeJson(response, ok, tcc.cancel(call.resource(), branchCall(request)));
            case XA_COMMIT -> writeJson(response, ok, xa.commit(call.resource(), branchCall(request)));
            case XA_ROLLBACK -> writeJson(response, ok, xa.rollback(call.resource(), branchCall(request)));
            case MESSAGE_RECEIVE -> {
                ResponseEntity<Map<String, String>> answer = messages.receive(call.resource(),
                        requiredJsonBody(request, MessageDelivery.class));
                writeJson(response, answer.getStatusCode().value(), answer.getBody());
            }
            case BATCH -> writeJson(response, ok, batches.batch(requiredJsonBody(request, BranchBatch.class)));
        }
    }

    private BranchCall branchCall(HttpServletRequest request) throws IOException {
        return requiredJsonBody(request, BranchCall.class);
    }

    @Override
    protected Call recognise(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getQueryString() != null || !acceptsJson(request)
                || request.getContentType() == null || !contentTypeIs(request, "application/json")) {
            return null;
        }
        String path = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (batches != null && path.length() == contextPath.length() + batchPath.length()
                && path.startsWith(contextPath) && path.startsWith(batchPath, contextPath.length())) {
            return new Call(Kind.BATCH, null, batchPath);
        }
        int start = contextPath.length() + prefix.length();
        if (path.length() <= start + 1 || !path.startsWith(contextPath) || !path.startsWith(prefix, contextPath.length())
                || path.charAt(start) != '/') {
            return null;
        }
        int areaEnd = path.indexOf('/', start + 1);
        int resourceEnd = areaEnd < 0 ? -1 : path.indexOf('/', areaEnd + 1);
        if (resourceEnd < 0 || path.indexOf('/', resourceEnd + 1) >= 0) {
            return null;
        }
        String area = path.substring(start + 1, areaEnd);
        String resource = path.substring(areaEnd + 1, resourceEnd);
        String action = path.substring(resourceEnd + 1);
        if (!plainName(resource)) {
            return null;
        }
        for (Kind kind : Kind.values()) {
            if (kind.variable != null && kind.area.equals(area) && kind.action.equals(action)
                    && handlers.containsKey(kind)) {
                return new Call(kind, resource, patterns.get(kind));
            }
        }
        return null;
    }

    /**
     * A path segment Spring MVC would bind to the path variable unchanged: no percent-encoding, no matrix
     * parameters, not a dot segment.
     */
    static boolean plainName(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!plain) {
                return false;
            }
        }
        return true;
    }
}
