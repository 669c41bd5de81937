package io.flotilla.bench.seata;

import io.seata.core.context.RootContext;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * The ledger's HTTP face, the same paths as Flotilla's test ledger. The global transaction's id arrives in Seata's
 * {@code TX_XID} header and is bound by the starter's own {@code TransactionPropagationInterceptor}.
 */
@RestController
@RequestMapping("/ledger")
class LedgerController {

    private final TccLedger tcc;
    private final JdbcTemplate jdbc;

    LedgerController(TccLedger tcc, JdbcTemplate jdbc) {
        this.tcc = tcc;
        this.jdbc = jdbc;
    }

    @PutMapping("/accounts/{id}")
    void open(@PathVariable String id, @RequestParam long balance) {
        jdbc.update("DELETE FROM account WHERE id = ?", id);
        jdbc.update("INSERT INTO account (id, balance, frozen, incoming) VALUES (?, ?, 0, 0)", id, balance);
    }

    @GetMapping("/accounts")
    List<Map<String, Object>> accounts() {
        return jdbc.queryForList("SELECT id, balance, frozen, incoming FROM account ORDER BY id");
    }

    @PostMapping("/tcc/{id}/debit")
    void tccDebit(@PathVariable String id, @RequestParam long amount) {
        requireGlobalTransaction();
        tcc.debit(id, amount);
    }

    @PostMapping("/tcc/{id}/credit")
    void tccCredit(@PathVariable String id, @RequestParam long amount) {
        requireGlobalTransaction();
        tcc.credit(id, amount);
    }

    @PostMapping("/plain/{id}/debit")
    void plainDebit(@PathVariable String id, @RequestParam long amount) {
        if (jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ? AND balance >= ?", amount, id, amount) != 1) {
            throw new IllegalStateException("insufficient funds in " + id);
        }
    }

    @PostMapping("/plain/{id}/credit")
    void plainCredit(@PathVariable String id, @RequestParam long amount) {
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, id);
    }

    /** A try outside a global transaction would run as a plain update: the benchmark must not measure that. */
    static void requireGlobalTransaction() {
        if (RootContext.getXID() == null) {
            throw new IllegalStateException("no " + RootContext.KEY_XID + " header: not in a global transaction");
        }
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    String refused(IllegalStateException e) {
        return e.getMessage();
    }
}
