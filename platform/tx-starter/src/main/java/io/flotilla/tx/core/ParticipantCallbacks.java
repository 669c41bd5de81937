package io.flotilla.tx.core;

import io.flotilla.tx.api.BranchRequest;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds the absolute URLs the coordinator calls back in phase two: {@code <base>/<prefix>/tcc/<resource>/confirm}
 * and {@code …/cancel} for TCC, {@code <base>/<prefix>/xa/<resource>/commit} and {@code …/rollback} for XA. The
 * base URL may only be known once the web server has its port, hence the supplier.
 */
public final class ParticipantCallbacks {

    private final Supplier<URI> baseUrl;
    private final String pathPrefix;

    public ParticipantCallbacks(Supplier<URI> baseUrl, String pathPrefix) {
        this.baseUrl = Objects.requireNonNull(baseUrl);
        String trimmed = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        this.pathPrefix = trimmed.startsWith("/") ? trimmed : "/" + trimmed;
    }

    public BranchRequest tcc(String resource) {
        return new BranchRequest(resource, url("tcc", resource, "confirm"), url("tcc", resource, "cancel"));
    }

    public BranchRequest xa(String resource) {
        return new BranchRequest(resource, url("xa", resource, "commit"), url("xa", resource, "rollback"));
    }

    /** {@code <base>/<prefix>/messages/producer/check}: where the coordinator asks about this producer's messages. */
    public String messageCheck() {
        return url("messages", "producer", "check");
    }

    private String url(String mode, String resource, String phase) {
        URI base = baseUrl.get();
        if (base == null) {
            throw new IllegalStateException("the participant's callback base URL is not known yet (set flotilla.tx.participant.base-url)");
        }
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        return URI.create(root + pathPrefix + "/" + mode + "/" + resource + "/" + phase).toString();
    }
}
