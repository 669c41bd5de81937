package io.flotilla.txcoordinator.transaction;

import io.flotilla.tx.api.BeginRequest;
import io.flotilla.tx.api.BeginResponse;
import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.BranchResponse;
import io.flotilla.tx.api.StatusResponse;
import io.flotilla.tx.api.TransactionList;
import io.flotilla.tx.api.TransactionView;

import io.flotilla.raft.server.ReadMode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/** Global transactions: begin, register branches, commit or roll back, and look them up. */
@RestController
@RequestMapping("/v1/transactions")
public class TransactionController {

    private final TransactionService transactions;

    public TransactionController(TransactionService transactions) {
        this.transactions = transactions;
    }

    @Operation(summary = "Begin a global transaction (TCC or XA)")
    @PostMapping
    public ResponseEntity<BeginResponse> begin(@RequestBody(required = false) BeginRequest request) {
        BeginResponse begun = transactions.begin(request);
        return ResponseEntity.created(URI.create("/v1/transactions/" + begun.xid())).body(begun);
    }

    @Operation(summary = "Register a branch with its confirm/cancel (XA: commit/rollback) URLs; 409 unless ACTIVE")
    @PostMapping("/{xid}/branches")
    public ResponseEntity<BranchResponse> addBranch(@PathVariable("xid") String xid,
            @RequestBody(required = false) BranchRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(transactions.addBranch(xid, request));
    }

    @Operation(summary = "Decide to commit; idempotent. Phase two runs in the coordinator; 409 if rolled back")
    @PostMapping("/{xid}/commit")
    public StatusResponse commit(@PathVariable("xid") String xid,
            @Parameter(description = "wait up to this long (max 20s) for phase two to finish, e.g. 5s")
            @RequestParam(name = "wait", required = false) String wait) {
        return transactions.commit(xid, wait);
    }

    @Operation(summary = "Decide to roll back; idempotent. 409 if already committing")
    @PostMapping("/{xid}/rollback")
    public StatusResponse rollback(@PathVariable("xid") String xid,
            @Parameter(description = "wait up to this long (max 20s) for phase two to finish, e.g. 5s")
            @RequestParam(name = "wait", required = false) String wait) {
        return transactions.rollback(xid, wait);
    }

    @Operation(summary = "A transaction with its branches (participants ask this for in-doubt XA branches)")
    @GetMapping("/{xid}")
    public TransactionView get(@PathVariable("xid") String xid,
            @Parameter(description = "linearizable (default, answered by the leader) or stale (this node)")
            @RequestParam(name = "consistency", required = false) String consistency,
            @Parameter(description = "answer from this node once it has applied this log index")
            @RequestParam(name = "min-index", required = false) Long minIndex) {
        return transactions.find(xid, readMode(consistency, minIndex));
    }

    @Operation(summary = "Transactions by status and age, oldest first: find stuck ones")
    @GetMapping
    public TransactionList list(
            @Parameter(description = "ACTIVE, COMMITTING, COMMITTED, ROLLING_BACK or ROLLED_BACK")
            @RequestParam(name = "status", required = false) String status,
            @Parameter(description = "only transactions created longer ago than this, e.g. 30s, 5m, PT1H")
            @RequestParam(name = "olderThan", required = false) String olderThan,
            @Parameter(description = "at most this many, 1..1000 (default 100)")
            @RequestParam(name = "limit", required = false) Integer limit,
            @Parameter(description = "linearizable (default, answered by the leader) or stale (this node)")
            @RequestParam(name = "consistency", required = false) String consistency,
            @Parameter(description = "answer from this node once it has applied this log index")
            @RequestParam(name = "min-index", required = false) Long minIndex) {
        return transactions.list(status, olderThan, limit, readMode(consistency, minIndex));
    }

    private static ReadMode readMode(String consistency, Long minIndex) {
        try {
            return ReadMode.of(consistency, minIndex);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
