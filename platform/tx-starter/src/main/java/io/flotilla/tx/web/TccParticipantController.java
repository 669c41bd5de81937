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
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.regex.Pattern;

/**
 * The confirm and cancel endpoints the coordinator calls for {@code @TccAction} branches. Any non-2xx answer
 * makes the coordinator retry later, so a failing business confirm is simply reported.
 */
@RestController
@RequestMapping("${flotilla.tx.participant.path-prefix:/flotilla/tx}/tcc")
public class TccParticipantController {

    private static final Logger log = LoggerFactory.getLogger(TccParticipantController.class);

    /** What the coordinator accepts as an xid. */
    private static final Pattern XID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

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
        if (!XID.matcher(call.xid()).matches()) {
            throw new IllegalArgumentException("xid is 1 to 128 characters of [A-Za-z0-9._:-]");
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

    @ExceptionHandler({UnknownTccResourceException.class, TccConflictException.class, IllegalArgumentException.class})
    ProblemDetail refused(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(PhaseTwoRefusals.statusOf(e), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return unreadableBody();
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> failed(RuntimeException e) {
        log.warn("TCC phase two failed; the coordinator will retry", e);
        return retryLater();
    }

    static ProblemDetail unreadableBody() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the body must be JSON {\"xid\": \"…\", \"branchId\": \"…\"}");
    }

    /**
     * A failure of the branch's own work (its database, its code) is temporary from the coordinator's side: it
     * retries. The cause stays in this participant's log, not in the answer.
     */
    static ResponseEntity<ProblemDetail> retryLater() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "phase two failed here; the coordinator retries (the cause is in the participant's log)"));
    }
}
