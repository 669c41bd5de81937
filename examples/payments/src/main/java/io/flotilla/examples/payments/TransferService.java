package io.flotilla.examples.payments;

import io.flotilla.examples.payments.WalletClient.Movement;
import io.flotilla.id.core.IdGenerator;
import io.flotilla.lock.annotation.Locked;
import io.flotilla.tx.initiator.GlobalTransactional;
import io.flotilla.tx.api.TransactionMode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A transfer is one global transaction. In TCC mode the wallet freezes the payer's money and announces the payee's,
 * then the coordinator confirms both, or cancels both when any step fails; in XA mode the wallet prepares both updates
 * in its database and the coordinator commits them, or rolls back what was prepared. One transfer per payer at a
 * time (the lock).
 */
@Service
public class TransferService {

    private final WalletClient wallet;
    private final IdGenerator ids;
    private final JdbcClient jdbc;

    TransferService(WalletClient wallet, IdGenerator ids, JdbcClient jdbc) {
        this.wallet = wallet;
        this.ids = ids;
        this.jdbc = jdbc;
    }

    @Locked(name = "payer:#{#request.from()}", waitMs = 5000)
    @GlobalTransactional(mode = TransactionMode.TCC, timeoutMs = 30_000)
    public Transfer transfer(TransferRequest request) {
        Transfer transfer = new Transfer(ids.next(), request.from(), request.to(), request.amount());
        Movement movement = new Movement(transfer.id(), transfer.amount());
        wallet.debit(transfer.fromOwner(), movement);    // each call carries the xid: the wallet joins the transaction
        wallet.credit(transfer.toOwner(), movement);
        return saved(transfer);
    }

    @Locked(name = "payer:#{#request.from()}", waitMs = 5000)
    @GlobalTransactional(mode = TransactionMode.XA, timeoutMs = 30_000)
    public Transfer transferXa(TransferRequest request) {
        Transfer transfer = new Transfer(ids.next(), request.from(), request.to(), request.amount());
        Movement movement = new Movement(transfer.id(), transfer.amount());
        wallet.xaDebit(transfer.fromOwner(), movement);  // prepared in the wallet's database, its row locked
        wallet.xaCredit(transfer.toOwner(), movement);   // the coordinator commits both, or rolls back what was prepared
        return saved(transfer);
    }

    private Transfer saved(Transfer transfer) {
        jdbc.sql("INSERT INTO transfer (id, from_owner, to_owner, amount) VALUES (?, ?, ?, ?)")
            .params(transfer.id(), transfer.fromOwner(), transfer.toOwner(), transfer.amount())
            .update();
        return transfer;
    }
}
