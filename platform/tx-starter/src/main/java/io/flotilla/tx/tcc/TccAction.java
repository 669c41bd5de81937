package io.flotilla.tx.tcc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the try method of a TCC branch and names its confirm and cancel methods, which live on the same bean and
 * take the same parameters (the starter records the try's arguments in the fence row and passes them back).
 *
 * <p>Called inside a global transaction, the try registers a branch with the coordinator, then inserts its
 * fence row and runs in one local transaction on the application's {@code DataSource}. Confirm and cancel run
 * when the coordinator calls the starter's endpoints, each at most once per branch, in one local transaction
 * with their fence update. A cancel that arrives before its try records itself and succeeds (empty rollback);
 * the late try is then refused with {@link TccTryRefusedException} (anti-suspension).
 *
 * <pre>{@code
 * @TccAction(name = "stock-reservation", confirm = "confirmReserve", cancel = "cancelReserve")
 * public void reserve(String sku, int quantity) { ... available -= q, frozen += q ... }
 * public void confirmReserve(String sku, int quantity) { ... frozen -= q ... }
 * public void cancelReserve(String sku, int quantity) { ... frozen -= q, available += q ... }
 * }</pre>
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface TccAction {

    /** Resource name, unique within the application; it is part of the confirm and cancel URLs. */
    String name();

    /** Name of the confirm method on the same bean. */
    String confirm();

    /** Name of the cancel method on the same bean. */
    String cancel();
}
