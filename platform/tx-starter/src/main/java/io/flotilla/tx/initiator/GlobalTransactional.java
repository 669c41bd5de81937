package io.flotilla.tx.initiator;


import io.flotilla.tx.api.TransactionMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method as the initiator of a global transaction: begins it at the coordinator, binds its xid while
 * the method runs (so {@code RestClient} and {@code @HttpExchange} calls carry it to participants), commits when
 * the method returns, and rolls back when it throws. Called inside a global transaction, the method joins it.
 *
 * <pre>{@code
 * @GlobalTransactional(mode = TransactionMode.TCC, timeoutMs = 10_000)
 * public Order placeOrder(OrderRequest request) {
 *     inventory.reserve(request.sku(), request.quantity());   // an @HttpExchange client
 *     return orders.save(...);
 * }
 * }</pre>
 *
 * For a mode chosen per call, use {@link io.flotilla.tx.core.GlobalTransactionTemplate} instead.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface GlobalTransactional {

    /** TCC or XA. */
    TransactionMode mode() default TransactionMode.TCC;

    /** Rollback timeout in milliseconds; 0 uses {@code flotilla.coordinator.default-timeout}. */
    long timeoutMs() default 0;

    /** Name shown at the coordinator; defaults to the method's name. */
    String name() default "";
}
