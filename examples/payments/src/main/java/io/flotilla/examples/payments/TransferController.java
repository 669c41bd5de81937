package io.flotilla.examples.payments;

import io.flotilla.tx.api.TransactionMode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientResponseException;

@RestController
class TransferController {

    private final TransferService transfers;

    TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    @PostMapping("/api/transfers")
    @ResponseStatus(HttpStatus.CREATED)
    Transfer transfer(@RequestBody TransferRequest request) {
        return switch (request.mode() == null ? TransactionMode.TCC : request.mode()) {
            case TCC -> transfers.transfer(request);
            case XA -> transfers.transferXa(request);
            case MSG -> throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "mode must be TCC or XA"), null);
        };
    }

    /** The wallet refused a step (no such wallet, not enough money): the transaction is rolled back. */
    @ExceptionHandler
    ProblemDetail walletRefused(RestClientResponseException e) {
        ProblemDetail answer = e.getResponseBodyAs(ProblemDetail.class);
        String reason = answer != null && answer.getDetail() != null ? answer.getDetail() : e.getStatusText();
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Transfer cancelled: " + reason);
    }
}
