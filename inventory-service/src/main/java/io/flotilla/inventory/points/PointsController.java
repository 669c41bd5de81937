package io.flotilla.inventory.points;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;



/** The loyalty-points ledger, read through the gateway as {@code GET /api/points/{userId}}. */
@RestController
@RequestMapping("/api/points")
public class PointsController {

    /** As order-service accepts them: 1 to 64 characters. */
    private static final int MAX_USER_ID = 64;

    private final PointsLedger ledger;

    public PointsController(PointsLedger ledger) {
        this.ledger = ledger;
    }

    @Operation(summary = "A user's loyalty points: one entry per confirmed order, worth its total in cents")
    @GetMapping("/{userId}")
    public Points get(@Parameter(description = "the user's id") @PathVariable String userId) {
        if (userId.isBlank() || userId.length() > MAX_USER_ID) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "userId must be 1 to " + MAX_USER_ID
                    + " characters");
        }
        return ledger.of(userId);
    }
}
