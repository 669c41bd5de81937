package io.flotilla.tx.core;

import io.flotilla.tx.api.BranchRequest;
import java.net.URI;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Builds the absolute URLs the coordinator calls back in phase two: {@code <base>/<prefix>/tcc/<resource>/confirm}
 * and {@code …/cancel} for TCC, {@code <base>/<prefix>/xa/<resource>/commit} and {@code …/rollback} for XA. The
 * base URL may only be known once the web server has its port, hence the supplier.
 *
 * <p>When this application serves the batch endpoint ({@code <base>/<prefix>/phase-two/batch}) every registration
 * announces it as the branch's {@code batchUrl}, and the coordinator may then send that branch's phase two inside a
 * batch; an application without it announces none and keeps getting single calls.
 */
public final class ParticipantCallbacks {

    private final Supplier<URI> baseUrl;
    private final String pathPrefix;
    private final BooleanSupplier servesBatches;

    /** Callbacks of an application without the batch endpoint. */
    public ParticipantCallbacks(Supplier<URI> baseUrl, String pathPrefix) {
        this(baseUrl, pathPrefix, () -> false);
    }

    /** @param servesBatches whether this application serves the batch endpoint (asked at each registration) */
    public ParticipantCallbacks(Supplier<URI> baseUrl, String pathPrefix, BooleanSupplier servesBatches) {
        this.baseUrl = Objects.requireNonNull(baseUrl);
        this.servesBatches = Objects.requireNonNull(servesBatches);
        String trimmed = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        this.pathPrefix = trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }

    public BranchRequest tcc(String resource) {
        return new BranchRequest(resource, url("tcc", resource, "confirm"), url("tcc", resource, "cancel"), batchUrl());
    }

    public BranchRequest xa(String resource) {
        return new BranchRequest(resource, url("xa", resource, "commit"), url("xa", resource, "rollback"), batchUrl());
    }

    /** {@code <base>/<prefix>/phase-two/batch} when this application serves it, else null. */
    private String batchUrl() {
        return servesBatches.getAsBoolean() ? root() + pathPrefix + "/phase-two/batch" : null;
    }

    /** {@code <base>/<prefix>/messages/producer/check}: where the coordinator asks about this producer's messages. */
    public String messageCheck() {
        return url("messages", "producer", "check");
    }

    private String url(String mode, String resource, String phase) {
        return URI.create(root() + pathPrefix + "/" + mode + "/" + resource + "/" + phase).toString();
    }

    private String root() {
        URI base = baseUrl.get();
        if (base == null) {
            throw new IllegalStateException("the participant's callback base URL is not known yet (set flotilla.tx.participant.base-url)");
        }
        return base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
    }
}
