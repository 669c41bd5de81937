package io.flotilla.tx.core;

import java.net.URI;

/**
 * A branch as registered with the coordinator. For XA the two URLs are the branch's commit and rollback
 * endpoints.
 *
 * @param resource   name of the participant's resource (for operators and metrics)
 * @param confirmUrl called with {@code {xid, branchId}} when the transaction commits
 * @param cancelUrl  called with {@code {xid, branchId}} when the transaction rolls back
 */
public record BranchRegistration(String resource, URI confirmUrl, URI cancelUrl) {
}
