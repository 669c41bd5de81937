package io.flotilla.tx.web;

import io.flotilla.tx.api.BranchCall;
import io.flotilla.tx.xa.XaResourceManager;
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

/** The commit and rollback endpoints the coordinator calls for {@code @XaBranch} branches; both idempotent. */
@RestController
@RequestMapping("${flotilla.tx.participant.path-prefix:/flotilla/tx}/xa")
public class XaParticipantController {

    private static final Logger log = LoggerFactory.getLogger(XaParticipantController.class);

    private final XaResourceManager resources;

    public XaParticipantController(XaResourceManager resources) {
        this.resources = resources;
    }

    @PostMapping("/{resource}/commit")
    public BranchCallResult commit(@PathVariable String resource, @RequestBody BranchCall call) {
        TccParticipantController.validate(call);
        boolean done = resources.commit(call.xid(), Long.toString(call.branchId()));
        return new BranchCallResult(call.xid(), call.branchId(), done ? "done" : "duplicate");
    }

    @PostMapping("/{resource}/rollback")
    public BranchCallResult rollback(@PathVariable String resource, @RequestBody BranchCall call) {
        TccParticipantController.validate(call);
        boolean done = resources.rollback(call.xid(), Long.toString(call.branchId()));
        return new BranchCallResult(call.xid(), call.branchId(), done ? "done" : "empty");
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badCall(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(RuntimeException.class)
    ProblemDetail failed(RuntimeException e) {
        log.warn("XA phase two failed; the coordinator will retry", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "phase two failed: " + e.getMessage());
    }
}
