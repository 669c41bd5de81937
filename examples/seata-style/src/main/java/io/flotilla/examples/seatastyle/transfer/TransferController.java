package io.flotilla.examples.seatastyle.transfer;

import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpStatusCodeException;

@RestController
public class TransferController {

    private final TransferService transfers;

    public TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    @PostMapping("/api/transfers")
    public ResponseEntity<TransferRequest> transfer(@RequestBody TransferRequest request) {
        transfers.transfer(request);
        return ResponseEntity.status(HttpStatus.CREATED).body(request);
    }

    /** The wallet refused a step (no such wallet, not enough money): the transaction was rolled back. */
    @ExceptionHandler
    public ResponseEntity<Map<String, String>> walletRefused(HttpStatusCodeException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
            .body(Map.of("detail", "Transfer cancelled: " + e.getResponseBodyAsString()));
    }

    /** The id was used before: both steps had been tried, and the transaction was rolled back. */
    @ExceptionHandler
    public ResponseEntity<Map<String, String>> repeated(DuplicateKeyException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("detail", "Transfer cancelled: id already used"));
    }
}
