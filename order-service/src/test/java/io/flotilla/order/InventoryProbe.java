package io.flotilla.order;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Test-side view of inventory-service's database: a fresh product per test, and stock counters read straight from
 * the tables (not through the service under test).
 *
 * @param jdbcUrl inventory-service's database
 * @param username its user
 * @param password its password, may be empty
 */
public record InventoryProbe(String jdbcUrl, String username, String password) {

    /**
     * Stock counters of one product.
     *
     * @param available units that can be reserved
     * @param frozen units held by unsettled reservations
     */
    public record Stock(int available, int frozen) {
    }

    /** Inserts a product with {@code available} units and returns its sku. */
    public String newProduct(String prefix, int available) {
        String sku = prefix + "-" + Long.toHexString(System.nanoTime());
        update("INSERT INTO product (sku, name, price_cents, available, frozen) VALUES (?, ?, 250, ?, 0)", sku,
                "test product " + sku, available);
        return sku;
    }

    public Stock stock(String sku) {
        try (Connection connection = connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT available, frozen FROM product WHERE sku = ?")) {
            query.setString(1, sku);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no product " + sku);
                }
                return new Stock(row.getInt(1), row.getInt(2));
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (up to a minute) until the product's counters are {@code expected}: phase two of a committed or rolled
     * back global transaction runs after the order's answer, driven by the coordinator.
     */
    public void awaitStock(String sku, Stock expected) {
        Instant deadline = Instant.now().plusSeconds(60);
        Stock actual = stock(sku);
        while (!actual.equals(expected)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("stock of " + sku + " is " + actual + ", expected " + expected);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            actual = stock(sku);
        }
    }

    private void update(String sql, Object... values) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }
}
