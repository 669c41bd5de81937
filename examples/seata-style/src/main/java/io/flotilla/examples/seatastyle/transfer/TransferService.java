package io.flotilla.examples.seatastyle.transfer;

import io.seata.spring.annotation.GlobalTransactional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * A transfer is one global transaction of two TCC branches in the wallet service: the payer's debit and the payee's
 * credit. The transfer is recorded last, in this service's own database, under the client's id; a repeated id fails
 * there, after both branches were tried, and the global rollback then cancels both.
 */
@Service
public class TransferService {

    private final WalletClient wallets;
    private final JdbcTemplate jdbc;

    public TransferService(WalletClient wallets, JdbcTemplate jdbc) {
        this.wallets = wallets;
        this.jdbc = jdbc;
    }

    @GlobalTransactional(name = "transfer", timeoutMills = 30_000, rollbackFor = Exception.class)
    public void transfer(TransferRequest request) {
        wallets.debit(request.from(), request.id(), request.amount());
        wallets.credit(request.to(), request.id(), request.amount());
        jdbc.update("INSERT INTO transfer (id, from_owner, to_owner, amount) VALUES (?, ?, ?, ?)",
                request.id(), request.from(), request.to(), request.amount());
    }
}
