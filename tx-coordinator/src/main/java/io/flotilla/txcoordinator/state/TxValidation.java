package io.flotilla.txcoordinator.state;

import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchesSettled;
import io.flotilla.txcoordinator.state.command.TxCommand.Settled;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.txcoordinator.state.command.TxCommand.CheckBackFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.PrepareMessage;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.txcoordinator.state.command.TxCommand.Purge;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxCommand.TimeOut;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Input rules, checked by the HTTP layer before proposing (a 400 with no log write) and again by {@code apply},
 * because the log is the authority. State-dependent checks (exists, still ACTIVE) are {@code apply}'s alone.
 */
public final class TxValidation {

    public static final long MAX_TIMEOUT_MILLIS = 24L * 60 * 60 * 1000;
    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_RESOURCE_LENGTH = 256;
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_ERROR_LENGTH = 1000;
    public static final int MAX_BRANCHES = 1000;
    public static final int MAX_PURGE = 10_000;
    /** A message's payload travels in the log and in every delivery: kept small, like a broker's default limit. */
    public static final int MAX_PAYLOAD_LENGTH = 64 * 1024;

    /** What an xid must look like; {@link #isXid} checks the same without a regex (it runs twice per command). */
    private static final String XID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";
    private static final int MAX_XID_LENGTH = 128;

    static final int MAX_REMEMBERED_URLS = 4096;
    private static final Set<String> VALID_URLS = ConcurrentHashMap.newKeySet();

    private TxValidation() {
    }

    /** What is wrong with {@code command}, if anything. */
    public static Optional<String> problem(TxCommand command) {
        if (command.nowMillis() < 0) {
            return Optional.of("nowMillis must not be negative");
        }
        return switch (command) {
            case Begin c -> c.mode() == TransactionMode.MSG
                    ? Optional.of("a message (MSG) is prepared with its payload and check-back URL: POST /v1/messages")
                    : first(xid(c.xid()), timeout(c.timeoutMillis()), name(c.name()));
            case PrepareMessage c -> first(xid(c.xid()), timeout(c.timeoutMillis()), name(c.name()),
                    url("checkUrl", c.checkUrl()), payload(c.payload()));
            case CheckBackFailed c -> first(xid(c.xid()), error(c.error()));
            case RegisterBranch c -> first(xid(c.xid()), resource(c.resource()), url("confirmUrl", c.confirmUrl()),
                    url("cancelUrl", c.cancelUrl()), c.batchUrl().isEmpty() ? Optional.empty()
                            : url("batchUrl", c.batchUrl()));
            case BranchesSettled c -> settled(c);
            case Commit c -> xid(c.xid());
            case Rollback c -> xid(c.xid());
            case TimeOut c -> xid(c.xid());
            case BranchDone c -> first(xid(c.xid()), branchId(c.branchId()));
            case BranchFailed c -> first(xid(c.xid()), branchId(c.branchId()), error(c.error()));
            case Purge c -> c.max() < 1 || c.max() > MAX_PURGE
                    ? Optional.of("purge max must be 1.." + MAX_PURGE + ", got " + c.max()) : Optional.empty();
        };
    }

    private static Optional<String> settled(BranchesSettled c) {
        if (c.outcomes().isEmpty() || c.outcomes().size() > BranchBatch.MAX_CALLS) {
            return Optional.of("a batch settles 1.." + BranchBatch.MAX_CALLS + " branches, got " + c.outcomes().size());
        }
        for (Settled settled : c.outcomes()) {
            Optional<String> problem = first(xid(settled.xid()), branchId(settled.branchId()), error(settled.error()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    public static Optional<String> xid(String xid) {
        return isXid(xid) ? Optional.empty()
                : Optional.of("xid must match " + XID_PATTERN + ", got '" + xid + "'");
    }

    /** Whether {@code xid} matches {@value #XID_PATTERN}. */
    static boolean isXid(String xid) {
        if (xid == null || xid.isEmpty() || xid.length() > MAX_XID_LENGTH || !isAsciiLetterOrDigit(xid.charAt(0))) {
            return false;
        }
        for (int i = 1; i < xid.length(); i++) {
            char c = xid.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    public static Optional<String> timeout(long timeoutMillis) {
        return timeoutMillis >= 1 && timeoutMillis <= MAX_TIMEOUT_MILLIS ? Optional.empty()
                : Optional.of("timeoutMs must be 1.." + MAX_TIMEOUT_MILLIS + " (24 hours), got " + timeoutMillis);
    }

    public static Optional<String> name(String name) {
        if (name == null || name.length() > MAX_NAME_LENGTH || hasControl(name)) {
            return Optional.of("name must be at most " + MAX_NAME_LENGTH + " characters without control characters");
        }
        return Optional.empty();
    }

    public static Optional<String> resource(String resource) {
        if (resource == null || resource.isBlank() || resource.length() > MAX_RESOURCE_LENGTH || hasControl(resource)) {
            return Optional.of("resource must be 1.." + MAX_RESOURCE_LENGTH
                    + " characters, not blank, without control characters");
        }
        return Optional.empty();
    }

    /** An absolute http(s) URL with a host: the coordinator will POST to it. */
    public static Optional<String> url(String field, String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            return Optional.of(field + " must be an http(s) URL of at most " + MAX_URL_LENGTH + " characters");
        }
        if (VALID_URLS.contains(url)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return Optional.of(field + " must be an absolute http(s) URL with a host, got '" + url + "'");
            }
            remember(url);
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(field + " is not a valid URL: " + e.getMessage());
        }
    }

    /**
     * Whether a URL is valid depends on its text alone, and a participant registers the same few URLs (its
     * resources' confirm, cancel and batch URLs) with every branch: each registration parsed three of them twice,
     * on the HTTP layer and in {@code apply} (on every node), the coordinator's largest allocation site in the TCC
     * benchmark (JFR). Valid ones are remembered, up to {@value #MAX_REMEMBERED_URLS} (then no more are added, so
     * the set cannot grow with what clients send); invalid ones are parsed again, for their message.
     */
    private static void remember(String url) {
        if (VALID_URLS.size() < MAX_REMEMBERED_URLS) {
            VALID_URLS.add(url);
        }
    }

    /** How many URLs {@link #url} remembered as valid (for tests). */
    static int rememberedUrls() {
        return VALID_URLS.size();
    }

    public static Optional<String> payload(String payload) {
        return payload != null && payload.length() <= MAX_PAYLOAD_LENGTH ? Optional.empty()
                : Optional.of("payload is required and must be at most " + MAX_PAYLOAD_LENGTH + " characters");
    }

    private static Optional<String> branchId(long branchId) {
        return branchId > 0 ? Optional.empty() : Optional.of("branchId must be positive, got " + branchId);
    }

    private static Optional<String> error(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? Optional.empty()
                : Optional.of("error must be at most " + MAX_ERROR_LENGTH + " characters");
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... problems) {
        for (Optional<String> problem : problems) {
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }
}
