package io.flotilla.tx.web;

import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchBatchResult;
import io.flotilla.tx.api.BranchBatchResult.Outcome;
import io.flotilla.tx.api.BranchCall;
import io.flotilla.tx.tcc.TccConflictException;
import io.flotilla.tx.tcc.UnknownTccResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The batch endpoint the coordinator calls with several branches' phase two at once ({@link BranchBatch}; the
 * registration announced it as the branch's {@code batchUrl}). Each call runs as it would have alone: through the
 * same controller method ({@link TccParticipantController#confirm} and so on), so in its own local transaction with
 * the fence's idempotence and anti-suspension, and on a virtual thread of its own, concurrently with the batch's
 * other calls as the single calls were with each other. (One after the other, an XA batch kept every prepared
 * branch's connection held until the branches before it had committed: the bench's XA transactions fell from 52 to
 * 2 per second, waiting for pool connections.) A call that fails is answered with the status its single call would
 * have had and does not touch the others, which commit or not on their own; the coordinator calls again only the
 * failed ones.
 *
 * <p>The batch is one signed request (the signature covers the whole body, so every call's path, xid and branch
 * id); {@code 400} answers a batch that is not a list of 1 to {@value BranchBatch#MAX_CALLS} calls, and nothing runs.
 */
@RestController
@RequestMapping("${flotilla.tx.participant.path-prefix:/flotilla/tx}/phase-two")
public class PhaseTwoBatchController {

    private static final Logger log = LoggerFactory.getLogger(PhaseTwoBatchController.class);

    private final TccParticipantController tcc;
    private final XaParticipantController xa;

    /** @param tcc null when the application has no TCC endpoints (and so for {@code xa}) */
    public PhaseTwoBatchController(TccParticipantController tcc, XaParticipantController xa) {
        this.tcc = tcc;
        this.xa = xa;
    }

    @PostMapping("/batch")
    public BranchBatchResult batch(@RequestBody BranchBatch batch) {
        if (batch == null || batch.calls() == null || batch.calls().isEmpty()
                || batch.calls().size() > BranchBatch.MAX_CALLS || batch.calls().stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("a batch is {\"calls\": [...]} with 1 to " + BranchBatch.MAX_CALLS
                    + " calls {path, xid, branchId}");
        }
        if (batch.calls().size() == 1) {
            return new BranchBatchResult(List.of(run(batch.calls().getFirst())));
        }
        List<Outcome> outcomes = new ArrayList<>(batch.calls().size());
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> running = batch.calls().stream().map(call -> each.submit(() -> run(call))).toList();
            for (Future<Outcome> outcome : running) {
                outcomes.add(outcome.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a phase-two batch", e);
        } catch (ExecutionException e) {
            // run() answers every RuntimeException itself: only an Error gets here.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
        return new BranchBatchResult(outcomes);
    }

    private Outcome run(BranchBatch.Call call) {
        BranchCall single = new BranchCall(call.xid(), call.branchId());
        try {
            BranchCallResult result = switch (target(call.path())) {
                case Target(String area, String resource, String action) when tcc != null && area.equals("tcc")
                        && action.equals("confirm") -> tcc.confirm(resource, single);
                case Target(String area, String resource, String action) when tcc != null && area.equals("tcc")
                        && action.equals("cancel") -> tcc.cancel(resource, single);
                case Target(String area, String resource, String action) when xa != null && area.equals("xa")
                        && action.equals("commit") -> xa.commit(resource, single);
                case Target(String area, String resource, String action) when xa != null && area.equals("xa")
                        && action.equals("rollback") -> xa.rollback(resource, single);
                case null, default -> null;
            };
            if (result == null) {
                return failed(call, HttpStatus.NOT_FOUND, "no phase-two endpoint here at " + abbreviate(call.path()));
            }
            return new Outcome(result.xid(), result.branchId(), HttpStatus.OK.value(), result.outcome(), "");
        } catch (UnknownTccResourceException | TccConflictException | IllegalArgumentException refused) {
            return failed(call, PhaseTwoRefusals.statusOf(refused), refused.getMessage());
        } catch (RuntimeException e) {
            log.warn("Phase two of {}/{} in a batch failed; the coordinator will retry it", call.xid(),
                    call.branchId(), e);
            return failed(call, HttpStatus.SERVICE_UNAVAILABLE,
                    "phase two failed here; the coordinator retries (the cause is in the participant's log)");
        }
    }

    private static Outcome failed(BranchBatch.Call call, HttpStatus status, String detail) {
        return new Outcome(call.xid(), call.branchId(), status.value(), "", detail == null ? "" : detail);
    }

    /** A single call's endpoint: {@code …/<area>/<resource>/<action>}, the last three segments of its path. */
    record Target(String area, String resource, String action) {
    }

    /** The endpoint {@code path} names, or null when it is not one of the shape the controllers serve. */
    static Target target(String path) {
        if (path == null || path.indexOf('?') >= 0) {
            return null;
        }
        int actionStart = path.lastIndexOf('/');
        int resourceStart = actionStart <= 0 ? -1 : path.lastIndexOf('/', actionStart - 1);
        int areaStart = resourceStart <= 0 ? -1 : path.lastIndexOf('/', resourceStart - 1);
        if (areaStart < 0) {
            return null;
        }
        String resource = path.substring(resourceStart + 1, actionStart);
        if (!PhaseTwoHotPathFilter.plainName(resource)) {
            return null;
        }
        return new Target(path.substring(areaStart + 1, resourceStart), resource, path.substring(actionStart + 1));
    }

    private static String abbreviate(String path) {
        return path == null ? "null" : path.length() <= 200 ? path : path.substring(0, 200) + "…";
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badBatch(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the body must be JSON {\"calls\": [{\"path\": \"…\", \"xid\": \"…\", \"branchId\": n}, …]}");
    }
}
