package io.flotilla.tx.web;

import io.flotilla.tx.tcc.TccConflictException;
import io.flotilla.tx.tcc.UnknownTccResourceException;
import org.springframework.http.HttpStatus;

/**
 * The status of a phase-two call this participant refuses for what it asks, not for a failure of the branch's
 * work (which is a 503 the coordinator retries): the same for a single call and for a call in a batch, so that the
 * coordinator reads both alike.
 */
final class PhaseTwoRefusals {

    private PhaseTwoRefusals() {
    }

    /** 404 for a resource not here, 409 for a branch in a state that refuses the call, 400 for a malformed one. */
    static HttpStatus statusOf(RuntimeException refused) {
        return switch (refused) {
            case UnknownTccResourceException unknown -> HttpStatus.NOT_FOUND;
            case TccConflictException conflict -> HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_REQUEST;
        };
    }
}
