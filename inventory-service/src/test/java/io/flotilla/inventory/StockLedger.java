package io.flotilla.inventory;

import io.flotilla.inventory.product.Product;
import io.flotilla.inventory.product.ProductRepository;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Test-side access to the stock tables: a fresh product per test, and its counters read straight from the database. */
public record StockLedger(JdbcClient jdbc, ProductRepository products) {

    public String newProduct(String prefix, int available) {
        String sku = prefix + "-" + Long.toHexString(System.nanoTime());
        jdbc.sql("INSERT INTO product (sku, name, price_cents, available, frozen) VALUES (?, ?, 100, ?, 0)")
            .params(sku, "test product " + sku, available)
            .update();
        return sku;
    }

    public Product product(String sku) {
        return products.findBySku(sku).orElseThrow();
    }

    public int reservationRows(String reservationId) {
        return jdbc.sql("SELECT count(*) FROM stock_reservation WHERE reservation_id = ?")
            .param(reservationId)
            .query(Integer.class)
            .single();
    }
}
