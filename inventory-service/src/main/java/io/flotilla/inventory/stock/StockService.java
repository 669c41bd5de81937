package io.flotilla.inventory.stock;

import io.flotilla.inventory.product.ProductNotFoundException;
import io.flotilla.inventory.product.ProductRepository;
import io.flotilla.tx.tcc.TccAction;
import io.flotilla.tx.xa.XaBranch;

import org.springframework.stereotype.Service;

/**
 * Stock moves as branches of a global transaction, each one conditional UPDATE so no unit is ever taken twice.
 *
 * <p>TCC: {@link #reserve} freezes units, the coordinator then calls {@link #confirmReservation} (the frozen units
 * are sold) or {@link #cancelReservation} (they return to available). The tx starter's fence table, written in the
 * same local transaction, makes each phase run at most once per branch, turns a cancel without a try into an empty
 * rollback and refuses a try that arrives after its cancel; so these methods only move stock.
 *
 * <p>XA: {@link #deduct} takes the units in one step inside an XA branch that is prepared before the call returns
 * and committed or rolled back by the coordinator.
 */
@Service
public class StockService {

    private final ProductRepository products;

    StockService(ProductRepository products) {
        this.products = products;
    }

    /** TCC try: moves {@code quantity} units from available to frozen, or refuses when fewer are available. */
    @TccAction(name = "stock-reservation", confirm = "confirmReservation", cancel = "cancelReservation")
    public void reserve(String sku, int quantity) {
        if (!products.freeze(sku, quantity)) {
            throw refusal(sku, quantity);
        }
    }

    /** TCC confirm: the frozen units leave the stock. */
    public void confirmReservation(String sku, int quantity) {
        ledgerMove(products.removeFrozen(sku, quantity), sku, quantity);
    }

    /** TCC cancel: the frozen units return to available. */
    public void cancelReservation(String sku, int quantity) {
        ledgerMove(products.unfreeze(sku, quantity), sku, quantity);
    }

    /** XA branch: takes {@code quantity} available units at once, or refuses when fewer are available. */
    @XaBranch("inventory-stock")
    public void deduct(String sku, int quantity) {
        if (!products.deduct(sku, quantity)) {
            throw refusal(sku, quantity);
        }
    }

    /**
     * Why a conditional move changed no row. Asked only after the move: an order that succeeds does not pay for a
     * read of a product the update just found.
     */
    private RuntimeException refusal(String sku, int quantity) {
        if (products.findBySku(sku).isEmpty()) {
            return new ProductNotFoundException(sku);
        }
        return new InsufficientStockException(sku, quantity);
    }

    /**
     * The fence runs confirm and cancel only after a successful try, whose units are frozen; a failed move means the
     * stock table was changed behind the shop's back. Failing makes the coordinator retry and flag the branch.
     */
    private static void ledgerMove(boolean moved, String sku, int quantity) {
        if (!moved) {
            throw new IllegalStateException(
                    "Frozen stock of '" + sku + "' is below the " + quantity + " unit(s) of a reservation");
        }
    }
}
