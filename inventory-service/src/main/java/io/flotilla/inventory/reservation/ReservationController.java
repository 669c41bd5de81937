package io.flotilla.inventory.reservation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock reservations for other services (the order service), keyed by an id the caller chooses so that every call
 * can be retried. Not routed by the gateway: end users never call these.
 */
@RestController
@RequestMapping("/api")
public class ReservationController {

    /** Ids become database keys and URL segments: keep them short and plain. */
    static final String ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

    private final StockReservationService service;

    public ReservationController(StockReservationService service) {
        this.service = service;
    }

    @Operation(summary = "Reserve stock (TCC try): move units from available to frozen")
    @PutMapping("/reservations/{reservationId}")
    public Reservation reserve(@Parameter(description = "caller-chosen id, e.g. the order id")
            @PathVariable @Pattern(regexp = ID_PATTERN) String reservationId,
            @Valid @RequestBody ReserveStockRequest request) {
        return service.reserve(reservationId, request.sku(), request.quantity());
    }

    @Operation(summary = "Confirm a reservation (TCC confirm): the frozen units are sold")
    @PostMapping("/reservations/{reservationId}/confirm")
    public Reservation confirm(@PathVariable @Pattern(regexp = ID_PATTERN) String reservationId) {
        return service.confirm(reservationId);
    }

    @Operation(summary = "Cancel a reservation (TCC cancel): the frozen units return to available")
    @PostMapping("/reservations/{reservationId}/cancel")
    public Reservation cancel(@PathVariable @Pattern(regexp = ID_PATTERN) String reservationId) {
        return service.cancel(reservationId);
    }

    @Operation(summary = "Read a reservation")
    @GetMapping("/reservations/{reservationId}")
    public Reservation get(@PathVariable @Pattern(regexp = ID_PATTERN) String reservationId) {
        return service.get(reservationId);
    }

    @Operation(summary = "Take stock in one step (the XA branch): units leave available at once")
    @PutMapping("/deductions/{reservationId}")
    public Reservation deduct(@PathVariable @Pattern(regexp = ID_PATTERN) String reservationId,
            @Valid @RequestBody ReserveStockRequest request) {
        return service.deduct(reservationId, request.sku(), request.quantity());
    }
}
