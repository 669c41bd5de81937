package io.flotilla.order.order;

import java.util.List;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Places and reads orders. */
@RestController
@RequestMapping("/api/orders")
public class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Set on an answer that was stored for an earlier request with the same Idempotency-Key. */
    static final String REPLAYED = "Idempotent-Replayed";

    /** Visible ASCII only: the key is stored, logged and compared byte for byte. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final OrderService service;

    public OrderController(OrderService service) {
        this.service = service;
    }

    @Operation(summary = "Place an order; the same Idempotency-Key again returns the first answer")
    @PostMapping
    public ResponseEntity<OrderResponse> place(
            @Parameter(description = "client-chosen key, 1..200 visible ASCII characters, one per intended order")
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody PlaceOrderRequest request) {
        if (idempotencyKey == null || !KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidOrderException(
                    "Header " + IDEMPOTENCY_KEY + " is required: 1 to 200 visible ASCII characters, unique per order");
        }
        Placement placement = service.place(idempotencyKey, request);
        if (placement.order().status() == OrderStatus.CANCELLED) {
            throw new OrderCancelledException(placement.order(), placement.replayed());
        }
        return ResponseEntity.status(HttpStatus.CREATED)
            .header(REPLAYED, Boolean.toString(placement.replayed()))
            .body(OrderResponse.of(placement.order()));
    }

    @Operation(summary = "Read an order")
    @GetMapping("/{orderId}")
    public OrderResponse get(@Parameter(description = "the order id, decimal") @PathVariable long orderId) {
        return OrderResponse.of(service.get(orderId));
    }

    @Operation(summary = "List a user's orders, newest first")
    @GetMapping
    public List<OrderResponse> list(@RequestParam String userId) {
        return service.listByUser(userId).stream().map(OrderResponse::of).toList();
    }
}
