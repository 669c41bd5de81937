package io.flotilla.examples.seatastyle.wallet;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Each move is one conditional UPDATE: it changes no row (and answers false) when the money is not there. */
@Repository
public class WalletRepository {

    private final JdbcTemplate jdbc;

    public WalletRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The wallet, or {@code null} when there is none. */
    public Wallet find(String owner) {
        List<Wallet> found = jdbc.query("SELECT owner, available, frozen, incoming FROM wallet WHERE owner = ?",
                (row, i) -> new Wallet(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)), owner);
        return found.isEmpty() ? null : found.get(0);
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

    private boolean update(String sql, Object... args) {
        return jdbc.update(sql, args) == 1;
    }
}
