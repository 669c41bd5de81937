package io.flotilla.tx.xa;

import javax.sql.XADataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Builds the JDBC driver's own {@link XADataSource} from a JDBC URL, for applications that only configured
 * {@code spring.datasource.*}: PostgreSQL ({@code PGXADataSource}), MariaDB and MySQL through the MariaDB driver
 * ({@code MariaDbDataSource}), H2 ({@code JdbcDataSource}). The drivers are optional, hence reflection.
 */
public final class XaDataSources {

    private XaDataSources() {
    }

    public static XADataSource forUrl(String url, String username, String password) {
        if (url == null) {
            throw new IllegalArgumentException("no JDBC URL to build an XADataSource from");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            XADataSource dataSource = instantiate("org.postgresql.xa.PGXADataSource");
            call(dataSource, "setUrl", url);
            call(dataSource, "setUser", username);
            call(dataSource, "setPassword", password);
            return dataSource;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            XADataSource dataSource = instantiate("org.mariadb.jdbc.MariaDbDataSource");
            call(dataSource, "setUrl", url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url);
            call(dataSource, "setUser", username);
            call(dataSource, "setPassword", password);
            return dataSource;
        }
        if (url.startsWith("jdbc:h2:")) {
            XADataSource dataSource = instantiate("org.h2.jdbcx.JdbcDataSource");
            call(dataSource, "setURL", url);
            call(dataSource, "setUser", username);
            call(dataSource, "setPassword", password);
            return dataSource;
        }
        throw new IllegalArgumentException("no known XADataSource for " + url
                + " (PostgreSQL, MariaDB/MySQL and H2 are supported; define an XADataSource bean for others)");
    }

    private static XADataSource instantiate(String className) {
        try {
            return (XADataSource) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className + " is not on the class path; add its JDBC driver", e);
        }
    }

    private static void call(Object target, String setter, String value) {
        if (value == null) {
            return;
        }
        try {
            Method method = target.getClass().getMethod(setter, String.class);
            method.invoke(target, value);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(setter + "(" + (setter.contains("Password") ? "***" : value)
                    + ") refused: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(target.getClass().getName() + " has no " + setter + "(String)", e);
        }
    }
}
