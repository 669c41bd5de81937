package io.flotilla.txcoordinator.transaction;

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
    public StatusResponse commit(@PathVariable("xid") String xid) {
        return transactions.commit(xid);
    }

    @Operation(summary = "Decide to roll back; idempotent. 409 if already committing")
    @PostMapping("/{xid}/rollback")
    public StatusResponse rollback(@PathVariable("xid") String xid) {
        return transactions.rollback(xid);
    }

    @Operation(summary = "A transaction with its branches (participants ask this for in-doubt XA branches)")
    @GetMapping("/{xid}")
    public TransactionView get(@PathVariable("xid") String xid) {
        return transactions.find(xid);
    }

    @Operation(summary = "Transactions by status and age, oldest first: find stuck ones")
    @GetMapping
    public TransactionList list(
            @Parameter(description = "ACTIVE, COMMITTING, COMMITTED, ROLLING_BACK or ROLLED_BACK")
            @RequestParam(name = "status", required = false) String status,
            @Parameter(description = "only transactions created longer ago than this, e.g. 30s, 5m, PT1H")
            @RequestParam(name = "olderThan", required = false) String olderThan,
            @Parameter(description = "at most this many, 1..1000 (default 100)")
            @RequestParam(name = "limit", required = false) Integer limit) {
        return transactions.list(status, olderThan, limit);
    }
}
