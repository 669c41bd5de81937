package io.flotilla.tx.core;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import java.time.Instant;

/**
 * A global transaction as the coordinator reported it when it began.
 *
 * @param xid       global transaction id, carried by every branch
 * @param mode      TCC or XA
 * @param status    status when begun (ACTIVE)
 * @param timeoutAt instant after which the coordinator rolls it back, if it reported one
 */
public record GlobalTransaction(String xid, TransactionMode mode, GlobalStatus status, Instant timeoutAt) {
}
