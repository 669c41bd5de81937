package io.flotilla.bench.seata;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Seata 2.0 reads {@code @BusinessActionContextParameter} from the method it intercepts, the implementation's, so the
 * parameters are annotated here as well as on the interface.
 * <p>
 * The same statements as Flotilla's test ledger: debits freeze then spend or release, credits pend then book or drop. */
@Service
class JdbcTccLedger implements TccLedger {

    private final JdbcTemplate jdbc;

    JdbcTccLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void debit(@BusinessActionContextParameter(paramName = "account") String account,
            @BusinessActionContextParameter(paramName = "amount") long amount) {
        int updated = jdbc.update("UPDATE account SET balance = balance - ?, frozen = frozen + ? WHERE id = ? AND balance >= ?",
                amount, amount, account, amount);
        if (updated != 1) {
            throw new IllegalStateException("insufficient funds in " + account);
        }
    }

    @Override
    public boolean confirmDebit(BusinessActionContext context) {
        jdbc.update("UPDATE account SET frozen = frozen - ? WHERE id = ?", amount(context), account(context));
        return true;
    }

    @Override
    public boolean cancelDebit(BusinessActionContext context) {
        jdbc.update("UPDATE account SET frozen = frozen - ?, balance = balance + ? WHERE id = ?", amount(context),
                amount(context), account(context));
        return true;
    }

    @Override
    public void credit(@BusinessActionContextParameter(paramName = "account") String account,
            @BusinessActionContextParameter(paramName = "amount") long amount) {
        jdbc.update("UPDATE account SET incoming = incoming + ? WHERE id = ?", amount, account);
    }

    @Override
    public boolean confirmCredit(BusinessActionContext context) {
        jdbc.update("UPDATE account SET incoming = incoming - ?, balance = balance + ? WHERE id = ?", amount(context),
                amount(context), account(context));
        return true;
    }

    @Override
    public boolean cancelCredit(BusinessActionContext context) {
        jdbc.update("UPDATE account SET incoming = incoming - ? WHERE id = ?", amount(context), account(context));
        return true;
    }

    private static String account(BusinessActionContext context) {
        return String.valueOf(context.getActionContext("account"));
    }

    /** The action context comes back from JSON: a number of whatever width the parser chose. */
    private static long amount(BusinessActionContext context) {
        return ((Number) context.getActionContext("amount")).longValue();
    }
}
