package io.flotilla.txcoordinator.transaction;

import io.flotilla.txcoordinator.state.TxStatus;

public record StatusResponse(String xid, TxStatus status) {
}
