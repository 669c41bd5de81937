package io.flotilla.tx.web;

import io.flotilla.tx.api.BranchCall;
import io.flotilla.tx.tcc.FenceDecision;
import io.flotilla.tx.tcc.TccBranchExecutor;
import io.flotilla.tx.tcc.TccConflictException;
import io.flotilla.tx.tcc.UnknownTccResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The confirm and cancel endpoints the coordinator calls for {@code @TccAction} branches. Any non-2xx answer
 * makes the coordinator retry later, so a failing business confirm is simply reported.
 */
@RestController
@RequestMapping("${flotilla.tx.participant.path-prefix:/flotilla/tx}/tcc")
public class TccParticipantController {

    private static final Logger log = LoggerFactory.getLogger(TccParticipantController.class);

    private final TccBranchExecutor executor;

    public TccParticipantController(TccBranchExecutor executor) {
        this.executor = executor;
    }

    @PostMapping("/{resource}/confirm")
    public BranchCallResult confirm(@PathVariable String resource, @RequestBody BranchCall call) {
        validate(call);
        return result(call, executor.confirm(resource, call.xid(), Long.toString(call.branchId())));
    }

    @PostMapping("/{resource}/cancel")
    public BranchCallResult cancel(@PathVariable String resource, @RequestBody BranchCall call) {
        validate(call);
        return result(call, executor.cancel(resource, call.xid(), Long.toString(call.branchId())));
    }

    static void validate(BranchCall call) {
        if (call == null || call.xid() == null || call.xid().isBlank() || call.branchId() <= 0) {
            throw new IllegalArgumentException("xid and a positive branchId are required");
        }
    }

    private static BranchCallResult result(BranchCall call, FenceDecision.Action action) {
        String outcome = switch (action) {
            case RUN -> "done";
            case DUPLICATE -> "duplicate";
            case EMPTY -> "empty";
            case CONFLICT -> "conflict";
        };
        return new BranchCallResult(call.xid(), call.branchId(), outcome);
    }

    @ExceptionHandler(UnknownTccResourceException.class)
    ProblemDetail unknownResource(UnknownTccResourceException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badCall(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(TccConflictException.class)
    ProblemDetail conflict(TccConflictException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(RuntimeException.class)
    ProblemDetail failed(RuntimeException e) {
        log.warn("TCC phase two failed; the coordinator will retry", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "phase two failed: " + e.getMessage());
    }
}
