package io.flotilla.order.cart;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A shopping cart as it is kept in the HTTP session: immutable, so that every change is a new value set on the
 * session (Spring Session writes an attribute back to its store when it is set, not when an object it holds is
 * changed in place), and serializable, as every session store needs.
 *
 * @param lines one line per sku, in the order they were first added
 * @param checkoutId names this content of the cart for checkout: the orders of a checkout take their
 * Idempotency-Keys from it, so a checkout sent again (its answer lost) places nothing twice; a new one whenever the
 * content changes or a checkout settles
 */
public record Cart(List<Line> lines, String checkoutId) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public Cart {
        lines = List.copyOf(lines);
    }

    static Cart empty() {
        return new Cart(List.of(), newCheckoutId());
    }

    /** This cart with {@code sku} at {@code quantity} units (the line keeps its place if it was there). */
    Cart with(String sku, int quantity) {
        List<Line> changed = new ArrayList<>(lines);
        int index = indexOf(sku);
        if (index < 0) {
            changed.add(new Line(sku, quantity));
        }
        else {
            changed.set(index, new Line(sku, quantity));
        }
        return new Cart(changed, newCheckoutId());
    }

    /** This cart without {@code sku}. */
    Cart without(String sku) {
        return new Cart(lines.stream().filter(line -> !line.sku().equals(sku)).toList(), newCheckoutId());
    }

    /** This cart without the lines a checkout has placed; the same checkout id while some outcome is unknown. */
    Cart withoutPlaced(List<String> placedSkus, boolean settled) {
        return new Cart(lines.stream().filter(line -> !placedSkus.contains(line.sku())).toList(),
                settled ? newCheckoutId() : checkoutId);
    }

    boolean contains(String sku) {
        return indexOf(sku) >= 0;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    private int indexOf(String sku) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).sku().equals(sku)) {
                return i;
            }
        }
        return -1;
    }

    private static String newCheckoutId() {
        return UUID.randomUUID().toString();
    }

    /**
     * One product in the cart.
     *
     * @param sku the product
     * @param quantity how many units
     */
    public record Line(String sku, int quantity) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;
    }
}
