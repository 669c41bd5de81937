package io.flotilla.txcoordinator.transaction;

import io.flotilla.txcoordinator.state.TxStatus;

import java.time.Instant;

public record BeginResponse(String xid, TxStatus status, Instant timeoutAt) {
}
