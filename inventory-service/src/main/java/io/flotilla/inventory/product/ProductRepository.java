package io.flotilla.inventory.product;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Products and their stock counters. Every stock move is one conditional UPDATE, so two concurrent moves
 * can never take the same unit: the database re-checks the condition on the row it locks.
 */
@Repository
public class ProductRepository {

    /**
     * Maps columns by name. Not {@code query(Product.class)}: its property mapper asks the result set for the
     * camel-case name first ({@code priceCents}), and every miss is an SQLException that H2 also writes, with its
     * stack trace, to the database's trace file: one per product read.
     */
    private static final RowMapper<Product> PRODUCT = (row, rowNumber) -> new Product(row.getString("sku"),
            row.getString("name"), row.getLong("price_cents"), row.getInt("available"), row.getInt("frozen"));

    private final JdbcClient jdbc;

    public ProductRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Product> findAll() {
        return jdbc.sql("SELECT sku, name, price_cents, available, frozen FROM product ORDER BY sku")
            .query(PRODUCT)
            .list();
    }

    public Optional<Product> findBySku(String sku) {
        return jdbc.sql("SELECT sku, name, price_cents, available, frozen FROM product WHERE sku = :sku")
            .param("sku", sku)
            .query(PRODUCT)
            .optional();
    }

    /** Moves {@code quantity} units from available to frozen; false when fewer are available. */
    public boolean freeze(String sku, int quantity) {
        return jdbc.sql("""
                UPDATE product SET available = available - :quantity, frozen = frozen + :quantity
                WHERE sku = :sku AND available >= :quantity""")
            .param("sku", sku)
            .param("quantity", quantity)
            .update() == 1;
    }

    /** Removes {@code quantity} frozen units for good (they are sold); false when fewer are frozen. */
    public boolean removeFrozen(String sku, int quantity) {
        return jdbc.sql("UPDATE product SET frozen = frozen - :quantity WHERE sku = :sku AND frozen >= :quantity")
            .param("sku", sku)
            .param("quantity", quantity)
            .update() == 1;
    }

    /** Returns {@code quantity} frozen units to available; false when fewer are frozen. */
    public boolean unfreeze(String sku, int quantity) {
        return jdbc.sql("""
                UPDATE product SET available = available + :quantity, frozen = frozen - :quantity
                WHERE sku = :sku AND frozen >= :quantity""")
            .param("sku", sku)
            .param("quantity", quantity)
            .update() == 1;
    }

    /** Removes {@code quantity} available units in one step; false when fewer are available. */
    public boolean deduct(String sku, int quantity) {
        return jdbc.sql("UPDATE product SET available = available - :quantity WHERE sku = :sku AND available >= :quantity")
            .param("sku", sku)
            .param("quantity", quantity)
            .update() == 1;
    }
}
