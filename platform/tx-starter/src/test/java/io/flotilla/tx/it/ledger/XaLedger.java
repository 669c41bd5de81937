package io.flotilla.tx.it.ledger;

import io.flotilla.tx.xa.XaBranch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** XA debits and credits: plain updates, held in a prepared branch until the coordinator decides. */
@Service
public class XaLedger {

    private final JdbcTemplate jdbc;

    public XaLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @XaBranch("ledger")
    public void debit(String account, long amount) {
        if (jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ? AND balance >= ?", amount, account, amount) != 1) {
            throw new InsufficientFundsException(account, amount);
        }
    }

    @XaBranch("ledger")
    public void credit(String account, long amount) {
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, account);
    }
}
