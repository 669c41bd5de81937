package io.flotilla.tx.it.ledger;

import io.flotilla.tx.tcc.TccAction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** TCC debits (freeze, then spend or release) and credits (pending, then book or drop). */
@Service
public class TccLedger {

    private final JdbcTemplate jdbc;
    private final Faults faults;

    public TccLedger(JdbcTemplate jdbc, Faults faults) {
        this.jdbc = jdbc;
        this.faults = faults;
    }

    @TccAction(name = "debit", confirm = "confirmDebit", cancel = "cancelDebit")
    public void debit(String account, long amount) {
        int updated = jdbc.update("UPDATE account SET balance = balance - ?, frozen = frozen + ? WHERE id = ? AND balance >= ?",
                amount, amount, account, amount);
        if (updated != 1) {
            throw new InsufficientFundsException(account, amount);
        }
    }

    public void confirmDebit(String account, long amount) {
        faults.failNextConfirm();
        jdbc.update("UPDATE account SET frozen = frozen - ? WHERE id = ?", amount, account);
    }

    public void cancelDebit(String account, long amount) {
        jdbc.update("UPDATE account SET frozen = frozen - ?, balance = balance + ? WHERE id = ?", amount, amount, account);
    }

    @TccAction(name = "credit", confirm = "confirmCredit", cancel = "cancelCredit")
    public void credit(String account, long amount) {
        jdbc.update("UPDATE account SET incoming = incoming + ? WHERE id = ?", amount, account);
    }

    public void confirmCredit(String account, long amount) {
        faults.failNextConfirm();
        jdbc.update("UPDATE account SET incoming = incoming - ?, balance = balance + ? WHERE id = ?", amount, amount, account);
    }

    public void cancelCredit(String account, long amount) {
        jdbc.update("UPDATE account SET incoming = incoming - ? WHERE id = ?", amount, account);
    }
}
