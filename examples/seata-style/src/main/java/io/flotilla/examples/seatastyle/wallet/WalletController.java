package io.flotilla.examples.seatastyle.wallet;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the transfer service calls. A debit or credit joins the caller's global transaction through the xid in the
 * request's {@code TX_XID} header; the action's context argument is {@code null} here and filled in by the framework.
 */
@RestController
@RequestMapping("/api/wallets/{owner}")
public class WalletController {

    private final WalletRepository wallets;
    private final WalletTccAction actions;

    public WalletController(WalletRepository wallets, WalletTccAction actions) {
        this.wallets = wallets;
        this.actions = actions;
    }

    @GetMapping
    public Wallet wallet(@PathVariable("owner") String owner) {
        Wallet wallet = wallets.find(owner);
        if (wallet == null) {
            throw new WalletNotFoundException(owner);
        }
        return wallet;
    }

    @PostMapping("/debits")
    public void debit(@PathVariable("owner") String owner, @RequestBody Movement movement) {
        actions.debit(null, owner, movement.amount(), movement.transferId());
    }

    @PostMapping("/credits")
    public void credit(@PathVariable("owner") String owner, @RequestBody Movement movement) {
        actions.credit(null, owner, movement.amount(), movement.transferId());
    }

    @ExceptionHandler
    public ResponseEntity<Map<String, String>> notFound(WalletNotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("detail", e.getMessage()));
    }

    @ExceptionHandler
    public ResponseEntity<Map<String, String>> refused(InsufficientFundsException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("detail", e.getMessage()));
    }
}
