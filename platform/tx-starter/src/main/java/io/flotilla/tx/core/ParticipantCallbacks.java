package io.flotilla.tx.core;

import io.flotilla.tx.api.BranchRequest;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final int MAX_REMEMBERED = 1024;

    private final Supplier<URI> baseUrl;
    private final String pathPrefix;
    private final BooleanSupplier servesBatches;
    /** By mode and resource; an application's resources are a few, so this stays small (and is bounded anyway). */
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();

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
        return registration("tcc", resource, "confirm", "cancel");
    }

    public BranchRequest xa(String resource) {
        return registration("xa", resource, "commit", "rollback");
    }

    /**
     * The registration of a branch of {@code resource}, built once per base URL and batch endpoint: every try
     * registers with the same few URLs, and building them (two {@code URI} parses) cost each registration half as
     * much as its JSON did. The base URL and the batch endpoint are still asked for at every registration, and a
     * change of either builds the URLs again.
     */
    private BranchRequest registration(String mode, String resource, String commitPhase, String rollbackPhase) {
        String root = root();
        boolean batches = servesBatches.getAsBoolean();
        String key = mode + "/" + resource;
        Registration known = registrations.get(key);
        if (known != null && known.root().equals(root) && known.batches() == batches) {
            return known.request();
        }
        BranchRequest request = new BranchRequest(resource, url(root, mode, resource, commitPhase),
                url(root, mode, resource, rollbackPhase), batches ? root + pathPrefix + "/phase-two/batch" : null);
        if (registrations.size() < MAX_REMEMBERED || known != null) {
            registrations.put(key, new Registration(root, batches, request));
        }
        return request;
    }

    /** A branch registration as built for a base URL, with or without the batch endpoint. */
    private record Registration(String root, boolean batches, BranchRequest request) {
    }

    /** {@code <base>/<prefix>/messages/producer/check}: where the coordinator asks about this producer's messages. */
    public String messageCheck() {
        return url(root(), "messages", "producer", "check");
    }

    private String url(String root, String mode, String resource, String phase) {
        return URI.create(root + pathPrefix + "/" + mode + "/" + resource + "/" + phase).toString();
    }

    private String root() {
        URI base = baseUrl.get();
        if (base == null) {
            throw new IllegalStateException("the participant's callback base URL is not known yet (set flotilla.tx.participant.base-url)");
        }
        return base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
    }
}
