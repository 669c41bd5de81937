package io.flotilla.tx.xa;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/** The driver's own XA data source, counting the physical connections (server sessions) opened through it. */
final class CountingXaDataSource implements XADataSource {

    private final XADataSource driver;
    private final AtomicInteger opened = new AtomicInteger();

    CountingXaDataSource(XADataSource driver) {
        this.driver = driver;
    }

    XADataSource driver() {
        return driver;
    }

    /** Physical connections opened so far. */
    int opened() {
        return opened.get();
    }

    @Override
    public XAConnection getXAConnection() throws SQLException {
        XAConnection connection = driver.getXAConnection();
        opened.incrementAndGet();
        return connection;
    }

    @Override
    public XAConnection getXAConnection(String user, String password) throws SQLException {
        XAConnection connection = driver.getXAConnection(user, password);
        opened.incrementAndGet();
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return driver.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        driver.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        driver.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return driver.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }
}
