package io.flotilla.inventory.stock;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock moves for other services, always inside a global transaction (the {@code X-Flotilla-Xid} header the tx
 * starter's clients send). Not routed by the gateway: end users never call these.
 */
@RestController
@RequestMapping("/api/stock")
public class StockController {

    private final StockService stock;

    public StockController(StockService stock) {
        this.stock = stock;
    }

    @Operation(summary = "TCC try: freeze units until the global transaction confirms or cancels them")
    @PostMapping("/reservations")
    public ResponseEntity<Void> reserve(@Valid @RequestBody StockRequest request) {
        GlobalTransactionRequiredException.check();
        stock.reserve(request.sku(), request.quantity());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "XA branch: take units at once; the global transaction commits or rolls the branch back")
    @PostMapping("/deductions")
    public ResponseEntity<Void> deduct(@Valid @RequestBody StockRequest request) {
        GlobalTransactionRequiredException.check();
        stock.deduct(request.sku(), request.quantity());
        return ResponseEntity.noContent().build();
    }
}
