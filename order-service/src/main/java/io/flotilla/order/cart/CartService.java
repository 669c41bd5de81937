package io.flotilla.order.cart;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.flotilla.order.order.InvalidOrderException;
import io.flotilla.order.order.Order;
import io.flotilla.order.order.OrderResponse;
import io.flotilla.order.order.OrderService;
import io.flotilla.order.order.OrderStatus;
import io.flotilla.order.order.PlaceOrderRequest;

import org.springframework.stereotype.Service;

/**
 * Changes carts and checks them out. A checkout places one order per line through {@link OrderService}, exactly as
 * {@code POST /api/orders} does, with the Idempotency-Key {@code cart-<checkoutId>-<sku>}: sending the checkout
 * again after a lost answer or a 503 replays the orders already placed instead of placing them twice.
 */
@Service
public class CartService {

    /** What inventory-service's skus look like; anything else is refused without asking it. */
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final OrderService orders;
    private final CartProperties properties;

    CartService(OrderService orders, CartProperties properties) {
        this.orders = orders;
        this.properties = properties;
    }

    /** The cart with {@code quantity} units of {@code sku}; refuses an unknown product and a full cart. */
    Cart put(Cart cart, String sku, int quantity) {
        requireSkuShape(sku);
        if (!cart.contains(sku) && cart.lines().size() >= properties.maxLines()) {
            throw new InvalidCartException("The cart holds at most " + properties.maxLines() + " products");
        }
        try {
            orders.product(sku);
        }
        catch (InvalidOrderException unknown) {
            throw new InvalidCartException(unknown.getMessage());
        }
        return cart.with(sku, quantity);
    }

    /** The cart without {@code sku}. */
    Cart remove(Cart cart, String sku) {
        requireSkuShape(sku);
        if (!cart.contains(sku)) {
            throw new CartItemNotFoundException(sku);
        }
        return cart.without(sku);
    }

    /**
     * Places an order for every line and hands {@code save} what is left of the cart: the cancelled lines, or, when
     * a line fails with an unknown outcome (a 503 of the order path), every line not confirmed yet under the same
     * checkout id, so that the checkout sent again replays rather than repeats. Throws
     * {@link CheckoutCancelledException} when no order was confirmed.
     */
    CheckoutResponse checkout(Cart cart, CheckoutRequest request, Consumer<Cart> save) {
        if (cart.isEmpty()) {
            throw new EmptyCartException();
        }
        List<OrderResponse> placed = new ArrayList<>();
        List<String> confirmed = new ArrayList<>();
        try {
            for (Cart.Line line : cart.lines()) {
                Order order = orders.place("cart-" + cart.checkoutId() + "-" + line.sku(),
                        new PlaceOrderRequest(request.userId(), line.sku(), line.quantity(), request.mode())).order();
                placed.add(OrderResponse.of(order));
                if (order.status() == OrderStatus.CONFIRMED) {
                    confirmed.add(line.sku());
                }
            }
        }
        catch (RuntimeException outcomeUnknown) {
            save.accept(cart.withoutPlaced(confirmed, false));
            throw outcomeUnknown;
        }
        if (confirmed.isEmpty()) {
            throw new CheckoutCancelledException(placed);
        }
        Cart left = cart.withoutPlaced(confirmed, true);
        save.accept(left);
        return new CheckoutResponse(placed, CartResponse.of(left));
    }

    private static void requireSkuShape(String sku) {
        if (!SKU.matcher(sku).matches()) {
            throw new InvalidCartException("A sku is 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }
}
