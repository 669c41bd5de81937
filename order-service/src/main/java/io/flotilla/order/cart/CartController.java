package io.flotilla.order.cart;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shopper's cart, kept in the HTTP session (cookie {@code SESSION}); where the session lives is
 * {@code flotilla.order.session.store}.
 */
@RestController
@RequestMapping("/api/cart")
public class CartController {

    private final CartService carts;

    public CartController(CartService carts) {
        this.carts = carts;
    }

    @Operation(summary = "Read the session's cart (empty without a session; reading creates none)")
    @GetMapping
    public CartResponse get(HttpServletRequest request) {
        return CartResponse.of(CartSession.current(request));
    }

    @Operation(summary = "Set how many units of a product the cart holds")
    @PutMapping("/items/{sku}")
    public CartResponse put(@Parameter(description = "the product") @PathVariable String sku,
            @Valid @RequestBody SetQuantityRequest body, HttpServletRequest request) {
        Cart cart = carts.put(CartSession.current(request), sku, body.quantity());
        CartSession.save(request, cart);
        return CartResponse.of(cart);
    }

    @Operation(summary = "Take a product out of the cart")
    @DeleteMapping("/items/{sku}")
    public CartResponse remove(@Parameter(description = "the product") @PathVariable String sku,
            HttpServletRequest request) {
        Cart cart = carts.remove(CartSession.current(request), sku);
        CartSession.save(request, cart);
        return CartResponse.of(cart);
    }

    @Operation(summary = "Place one order per cart line (TCC unless mode says XA); confirmed lines leave the cart")
    @PostMapping("/checkout")
    public ResponseEntity<CheckoutResponse> checkout(@Valid @RequestBody CheckoutRequest body,
            HttpServletRequest request) {
        CheckoutResponse done = carts.checkout(CartSession.current(request), body,
                cart -> CartSession.save(request, cart));
        return ResponseEntity.status(HttpStatus.CREATED).body(done);
    }
}
