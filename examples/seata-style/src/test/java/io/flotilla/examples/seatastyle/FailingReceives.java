package io.flotilla.examples.seatastyle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.api.Trigger;

/**
 * An H2 trigger on the wallet table that fails the first {@link #FAILURES} updates moving a credit of carol's from
 * incoming to available (the credit's commit), as a database that is briefly unavailable would.
 */
public class FailingReceives implements Trigger {

    static final int FAILURES = 2;

    static final AtomicInteger failed = new AtomicInteger();

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        boolean receive = "carol".equals(newRow[0]) && number(newRow[3]) < number(oldRow[3])
                && number(newRow[1]) > number(oldRow[1]);
        if (receive && failed.get() < FAILURES) {
            failed.incrementAndGet();
            throw new SQLException("injected: carol's wallet refuses the credit's commit");
        }
    }

    private static long number(Object column) {
        return ((Number) column).longValue();
    }
}
