package io.flotilla.tx.it.ledger;

import io.flotilla.tx.core.CoordinatorException;
import io.flotilla.tx.tcc.TccTryRefusedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/ledger")
class LedgerController {

    private final TccLedger tcc;
    private final XaLedger xa;
    private final JdbcTemplate jdbc;
    private final Faults faults;

    LedgerController(TccLedger tcc, XaLedger xa, JdbcTemplate jdbc, Faults faults) {
        this.tcc = tcc;
        this.xa = xa;
        this.jdbc = jdbc;
        this.faults = faults;
    }

    @PutMapping("/accounts/{id}")
    void open(@PathVariable String id, @RequestParam long balance) {
        jdbc.update("DELETE FROM account WHERE id = ?", id);
        jdbc.update("INSERT INTO account (id, balance, frozen, incoming) VALUES (?, ?, 0, 0)", id, balance);
    }

    @GetMapping("/accounts")
    List<Account> accounts() {
        return jdbc.query("SELECT id, balance, frozen, incoming FROM account ORDER BY id",
                (row, i) -> new Account(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)));
    }

    @PostMapping("/tcc/{id}/debit")
    void tccDebit(@PathVariable String id, @RequestParam long amount) {
        tcc.debit(id, amount);
    }

    @PostMapping("/tcc/{id}/credit")
    void tccCredit(@PathVariable String id, @RequestParam long amount) {
        tcc.credit(id, amount);
    }

    @PostMapping("/xa/{id}/debit")
    void xaDebit(@PathVariable String id, @RequestParam long amount) {
        xa.debit(id, amount);
    }

    @PostMapping("/xa/{id}/credit")
    void xaCredit(@PathVariable String id, @RequestParam long amount) {
        xa.credit(id, amount);
    }

    /** The same updates as the XA branches, without a global transaction: the benchmark's baseline. */
    @PostMapping("/plain/{id}/debit")
    void plainDebit(@PathVariable String id, @RequestParam long amount) {
        if (jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ? AND balance >= ?", amount, id, amount) != 1) {
            throw new InsufficientFundsException(id, amount);
        }
    }

    @PostMapping("/plain/{id}/credit")
    void plainCredit(@PathVariable String id, @RequestParam long amount) {
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, id);
    }

    @PostMapping("/faults")
    void faults(@RequestParam(defaultValue = "0") int confirmFailures,
            @RequestParam(defaultValue = "0") long registrationDelayMillis,
            @RequestParam(defaultValue = "0") long confirmDelayMillis) {
        faults.confirmFailures.set(confirmFailures);
        faults.confirmDelayMillis.set(confirmDelayMillis);
        faults.registrationDelayMillis.set(registrationDelayMillis);
    }

    @RestControllerAdvice
    static class Problems {

        @ExceptionHandler(InsufficientFundsException.class)
        ProblemDetail insufficient(InsufficientFundsException e) {
            return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        }

        @ExceptionHandler(TccTryRefusedException.class)
        ProblemDetail refused(TccTryRefusedException e) {
            return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        }

        @ExceptionHandler(CoordinatorException.class)
        ProblemDetail coordinator(CoordinatorException e) {
            return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
