package io.flotilla.tx.xa;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Checks at start-up that the database can run XA branches, so a participant that cannot stops with the setting to
 * change rather than failing its first global transaction: on PostgreSQL {@code max_prepared_transactions} must
 * be above 0 (it is 0 by default, and {@code PREPARE TRANSACTION} is then refused); everywhere the recovery scan
 * ({@code XA RECOVER}) must be allowed, which on MariaDB 10.5+ and MySQL 8 needs the {@code XA_RECOVER_ADMIN}
 * privilege.
 */
public final class XaPreflight {

    /** Reads a server setting on a connection; the seam through which the PostgreSQL check is tested. */
    @FunctionalInterface
    public interface ServerSettings {

        /** PostgreSQL's {@code SHOW <name>}. */
        ServerSettings SHOW = (connection, name) -> {
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SHOW " + name)) {
                return result.next() ? result.getString(1) : null;
            }
        };

        String read(Connection connection, String name) throws SQLException;
    }

    private final XADataSource dataSource;
    private final ServerSettings settings;

    public XaPreflight(XADataSource dataSource) {
        this(dataSource, ServerSettings.SHOW);
    }

    public XaPreflight(XADataSource dataSource, ServerSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** @throws XaUnavailableException naming the setting or privilege that is missing */
    public void check() {
        XAConnection xaConnection = null;
        try {
            xaConnection = dataSource.getXAConnection();
            Connection connection = xaConnection.getConnection();
            String product = connection.getMetaData().getDatabaseProductName();
            String user = connection.getMetaData().getUserName();
            if (product.toLowerCase(Locale.ROOT).contains("postgres")) {
                checkPreparedTransactions(settings.read(connection, "max_prepared_transactions"));
            }
            try {
                xaConnection.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
            } catch (XAException e) {
                throw recoverRefused(product, user, e);
            }
        } catch (SQLException e) {
            throw new XaUnavailableException("Could not check the database's XA support: " + e.getMessage(),
                    "spring.datasource.url", "Check that the database is reachable with the configured user.", e);
        } finally {
            XaConnectionPool.closeQuietly(xaConnection);
        }
    }

    static void checkPreparedTransactions(String value) {
        int maxPrepared;
        try {
            maxPrepared = Integer.parseInt(value == null ? "0" : value.trim());
        } catch (NumberFormatException e) {
            return;
        }
        if (maxPrepared <= 0) {
            throw new XaUnavailableException("PostgreSQL has max_prepared_transactions = " + maxPrepared
                    + ", so it refuses PREPARE TRANSACTION and no XA branch can be prepared",
                    "max_prepared_transactions",
                    "Raise PostgreSQL's max_prepared_transactions (for example ALTER SYSTEM SET "
                            + "max_prepared_transactions = 64, then restart the server; at least max_connections is "
                            + "safest), or set flotilla.tx.xa.enabled=false if this application needs no XA branches.",
                    null);
        }
    }

    private static XaUnavailableException recoverRefused(String product, String user, XAException e) {
        String detail = XaResourceManager.detail(e);
        if (mentionsRecoverPrivilege(e)) {
            return new XaUnavailableException(product + " refuses XA RECOVER to " + user + ": " + detail,
                    "XA_RECOVER_ADMIN",
                    "Grant the privilege the recovery of in-doubt XA branches needs: GRANT XA_RECOVER_ADMIN ON *.* TO "
                            + quoteUser(user) + "; or set flotilla.tx.xa.enabled=false if this application needs no "
                            + "XA branches.",
                    e);
        }
        return new XaUnavailableException(product + " refuses XA RECOVER: " + detail, "XA RECOVER",
                "Allow the configured database user to list prepared XA transactions, or set flotilla.tx.xa.enabled=false.",
                e);
    }

    private static boolean mentionsRecoverPrivilege(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == 1227) {
                return true;
            }
            if (cause.getMessage() != null && cause.getMessage().contains("XA_RECOVER_ADMIN")) {
                return true;
            }
        }
        return false;
    }

    private static String quoteUser(String user) {
        int at = user == null ? -1 : user.indexOf('@');
        return at < 0 ? "'" + user + "'" : "'" + user.substring(0, at) + "'@'" + user.substring(at + 1) + "'";
    }
}
