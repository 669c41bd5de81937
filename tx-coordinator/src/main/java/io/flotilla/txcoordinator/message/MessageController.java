package io.flotilla.txcoordinator.message;

import io.flotilla.tx.api.BeginResponse;
import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.txcoordinator.transaction.TransactionService;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Two-phase messages: prepared here, then submitted or aborted, looked up and listed as transactions of mode
 * {@code MSG} under {@code /v1/transactions/{xid}} (commit = submit, rollback = abort).
 */
@RestController
@RequestMapping("/v1/messages")
public class MessageController {

    private final TransactionService transactions;

    public MessageController(TransactionService transactions) {
        this.transactions = transactions;
    }

    @Operation(summary = "Prepare a two-phase message (targets, payload, check-back URL); submit with "
            + "/v1/transactions/{xid}/commit, abort with /rollback")
    @PostMapping
    public ResponseEntity<BeginResponse> prepare(@RequestBody(required = false) MessagePrepareRequest request) {
        BeginResponse prepared = transactions.prepareMessage(request);
        return ResponseEntity.created(URI.create("/v1/transactions/" + prepared.xid())).body(prepared);
    }
}
