package io.flotilla.examples.wallet;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each move is one conditional UPDATE: it changes no row when the money is not there. */
@Repository
class WalletRepository {

    private final JdbcClient jdbc;

    WalletRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Wallet> find(String owner) {
        return jdbc.sql("SELECT owner, available, frozen, incoming FROM wallet WHERE owner = ?")
            .param(owner)
            .query(Wallet.class)
            .optional();
    }

    boolean freeze(String owner, long amount) {
        return update("UPDATE wallet SET available = available - ?, frozen = frozen + ? WHERE owner = ? AND available >= ?",
                amount, amount, owner, amount);
    }

    boolean spendFrozen(String owner, long amount) {
        return update("UPDATE wallet SET frozen = frozen - ? WHERE owner = ? AND frozen >= ?", amount, owner, amount);
    }

    boolean unfreeze(String owner, long amount) {
        return update("UPDATE wallet SET frozen = frozen - ?, available = available + ? WHERE owner = ? AND frozen >= ?",
                amount, amount, owner, amount);
    }

    boolean expect(String owner, long amount) {
        return update("UPDATE wallet SET incoming = incoming + ? WHERE owner = ?", amount, owner);
    }

    boolean receive(String owner, long amount) {
        return update("UPDATE wallet SET incoming = incoming - ?, available = available + ? WHERE owner = ? AND incoming >= ?",
                amount, amount, owner, amount);
    }

    boolean forgetIncoming(String owner, long amount) {
        return update("UPDATE wallet SET incoming = incoming - ? WHERE owner = ? AND incoming >= ?", amount, owner, amount);
    }

    boolean withdraw(String owner, long amount) {
        return update("UPDATE wallet SET available = available - ? WHERE owner = ? AND available >= ?", amount, owner, amount);
    }

    boolean deposit(String owner, long amount) {
        return update("UPDATE wallet SET available = available + ? WHERE owner = ?", amount, owner);
    }

    private boolean update(String sql, Object... args) {
        return jdbc.sql(sql).params(args).update() == 1;
    }
}
