package io.flotilla.examples.wallet;

import io.flotilla.tx.tcc.TccTryRefusedException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the payments app calls by the name {@code wallet}. */
@RestController
@RequestMapping("/api/wallets/{owner}")
class WalletController {

    private final WalletRepository wallets;
    private final WalletActions actions;
    private final WalletXaBranches xaBranches;

    WalletController(WalletRepository wallets, WalletActions actions, WalletXaBranches xaBranches) {
        this.wallets = wallets;
        this.actions = actions;
        this.xaBranches = xaBranches;
    }

    @GetMapping
    Wallet wallet(@PathVariable String owner) {
        return wallets.find(owner).orElseThrow(() -> new WalletNotFoundException(owner));
    }

    @PostMapping("/debits")
    void debit(@PathVariable String owner, @RequestBody Movement movement) {
        actions.debit(owner, movement);
    }

    @PostMapping("/credits")
    void credit(@PathVariable String owner, @RequestBody Movement movement) {
        actions.credit(owner, movement);
    }

    @PostMapping("/xa-debits")
    void xaDebit(@PathVariable String owner, @RequestBody Movement movement) {
        xaBranches.debit(owner, movement);
    }

    @PostMapping("/xa-credits")
    void xaCredit(@PathVariable String owner, @RequestBody Movement movement) {
        xaBranches.credit(owner, movement);
    }

    @ExceptionHandler
    ProblemDetail notFound(WalletNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler({InsufficientFundsException.class, TccTryRefusedException.class})
    ProblemDetail refused(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
