package io.flotilla.txcoordinator.transaction;

import io.flotilla.tx.api.BeginRequest;
import io.flotilla.tx.api.BeginResponse;
import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.BranchResponse;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.tx.api.StatusResponse;
import io.flotilla.tx.api.TransactionList;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;

import io.flotilla.raft.server.ReadMode;
import io.flotilla.txcoordinator.config.CoordinatorProperties;
import io.flotilla.txcoordinator.phasetwo.PhaseTwoDriver;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxValidation;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.PrepareMessage;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The API's operations on the log. Input is validated here with the state machine's own rules, so bad input is a
 * 400 with nothing written; what depends on state (exists, still ACTIVE) is decided by the log.
 */
@Service
public class TransactionService {

    static final int MAX_LIST = 1_000;
    /** Below the follower's forwarding timeout, so a forwarded waiting commit is never cut off by it. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final TxLog txLog;
    private final Clock clock;
    private final CoordinatorProperties properties;
    private final PhaseTwoDriver driver;
    private final OutcomeWaiters waiters;

    public TransactionService(TxLog txLog, Clock clock, CoordinatorProperties properties, PhaseTwoDriver driver,
                              OutcomeWaiters waiters) {
        this.waiters = waiters;
        this.txLog = txLog;
        this.clock = clock;
        this.properties = properties;
        this.driver = driver;
    }

    public BeginResponse begin(BeginRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body {mode, timeoutMs, name?} is required");
        }
        TransactionMode mode = mode(request.mode());
        long timeoutMillis = request.timeoutMs() == null ? properties.getDefaultTimeout().toMillis()
                : request.timeoutMs();
        String name = request.name() == null ? "" : request.name();
        // A random xid, not the log index: participants keep xids in their fence tables, so an xid must never be
        // issued twice, not even by a coordinator cluster rebuilt from empty data directories.
        String xid = UUID.randomUUID().toString();
        Begin begin = new Begin(xid, mode, name, timeoutMillis, clock.millis());
        check(begin);
        TxResult.Ok ok = okOrThrow(await(txLog.submit(begin)));
        return new BeginResponse(xid, ok.status(), Instant.ofEpochMilli(begin.nowMillis() + timeoutMillis));
    }

    /**
     * Prepares a two-phase message: one log entry for the message, then one per target (a branch each, whose id is
     * its log index like every branch's). A failure part-way leaves an ACTIVE message the producer never submits:
     * its check-back then finds no committed barrier and aborts it.
     */
    public BeginResponse prepareMessage(MessagePrepareRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body {targets, payload, checkUrl, timeoutMs?, name?} is required");
        }
        if (request.targets() == null || request.targets().isEmpty()
                || request.targets().size() > TxValidation.MAX_BRANCHES) {
            throw new InvalidRequestException("targets must list 1.." + TxValidation.MAX_BRANCHES + " URLs");
        }
        if (request.payload() == null) {
            throw new InvalidRequestException("payload is required (JSON text)");
        }
        for (String target : request.targets()) {
            TxValidation.url("target", target).ifPresent(problem -> {
                throw new InvalidRequestException(problem);
            });
        }
        long now = clock.millis();
        String name = request.name() == null ? "" : request.name();
        long timeoutMillis = request.timeoutMs() == null ? properties.getDefaultTimeout().toMillis()
                : request.timeoutMs();
        String xid = UUID.randomUUID().toString();
        PrepareMessage prepare = new PrepareMessage(xid, name, request.checkUrl() == null ? "" : request.checkUrl(),
                request.payload(), timeoutMillis, now);
        check(prepare);
        TxResult.Ok ok = okOrThrow(await(txLog.submit(prepare)));
        for (String target : request.targets()) {
            // The target is both URLs: an aborted message ends its branches without calling anyone.
            okOrThrow(await(txLog.submit(new RegisterBranch(xid, name.isEmpty() ? "message" : name, target, target,
                    clock.millis()))));
        }
        return new BeginResponse(xid, ok.status(), Instant.ofEpochMilli(now + timeoutMillis));
    }

    public BranchResponse addBranch(String xid, BranchRequest request) {
        checkXid(xid);
        if (request == null) {
            throw new InvalidRequestException("a JSON body {resource, confirmUrl, cancelUrl} is required");
        }
        if (request.resource() == null || request.confirmUrl() == null || request.cancelUrl() == null) {
            throw new InvalidRequestException("resource, confirmUrl and cancelUrl are required");
        }
        RegisterBranch register = new RegisterBranch(xid, request.resource(), request.confirmUrl(),
                request.cancelUrl(), request.batchUrl() == null ? "" : request.batchUrl(), clock.millis());
        check(register);
        return new BranchResponse(okOrThrow(await(txLog.submit(register))).branchId());
    }

    public StatusResponse commit(String xid, String wait) {
        checkXid(xid);
        Duration waitFor = waitParameter(wait);
        TxResult.Ok ok = okOrThrow(await(txLog.submit(new Commit(xid, clock.millis()))));
        if (!ok.status().isCommitDecided()) {
            throw new TransactionConflictException("transaction " + xid + " is " + ok.status()
                    + (ok.status() == GlobalStatus.ROLLING_BACK || ok.status() == GlobalStatus.ROLLED_BACK
                            ? ": it was rolled back (requested, or timed out) and cannot commit" : ""), ok.status());
        }
        return new StatusResponse(xid, awaitOutcome(xid, ok.status(), waitFor));
    }

    public StatusResponse rollback(String xid, String wait) {
        checkXid(xid);
        Duration waitFor = waitParameter(wait);
        TxResult.Ok ok = okOrThrow(await(txLog.submit(new Rollback(xid, clock.millis()))));
        if (!ok.status().isRollbackDecided()) {
            throw new TransactionConflictException("transaction " + xid + " is " + ok.status()
                    + ": the decision to commit is final", ok.status());
        }
        return new StatusResponse(xid, awaitOutcome(xid, ok.status(), waitFor));
    }

    /**
     * Waits up to {@code waitFor} for phase two to finish and returns the status then: the decision is already
     * durable, so running out of time only means the answer says COMMITTING/ROLLING_BACK.
     */
    private GlobalStatus awaitOutcome(String xid, GlobalStatus decided, Duration waitFor) {
        if (decided.finished() || waitFor.isZero()) {
            return decided;
        }
        CompletableFuture<GlobalStatus> outcome = waiters.register(xid);
        try {
            // Registered after the decision applied: the transaction may have finished in between.
            GlobalStatus now = get(xid, ReadMode.STALE).status();
            if (now.finished()) {
                return now;
            }
            return outcome.get(waitFor.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return get(xid, ReadMode.STALE).status();
        } catch (ExecutionException e) {
            throw new CoordinatorUnavailableException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnavailableException(e);
        } finally {
            waiters.forget(xid, outcome);
        }
    }

    private static Duration waitParameter(String wait) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Duration parsed = duration("wait", wait);
        if (parsed.compareTo(MAX_WAIT) > 0) {
            throw new InvalidRequestException("wait must be at most " + MAX_WAIT.toSeconds() + "s, got '" + wait + "'");
        }
        return parsed;
    }

    public TransactionView find(String xid, ReadMode mode) {
        checkXid(xid);
        return TransactionViews.of(get(xid, mode), driver::isFlagged);
    }

    public TransactionList list(String status, String olderThan, Integer limit, ReadMode mode) {
        GlobalStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = GlobalStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("status must be one of ACTIVE, COMMITTING, COMMITTED, ROLLING_BACK, "
                        + "ROLLED_BACK, got '" + status + "'");
            }
        }
        long createdBefore = Long.MAX_VALUE;
        if (olderThan != null && !olderThan.isBlank()) {
            createdBefore = clock.millis() - duration("olderThan", olderThan).toMillis();
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIST) {
            throw new InvalidRequestException("limit must be 1.." + MAX_LIST + ", got " + max);
        }
        TxQuery.Many many = (TxQuery.Many) await(txLog.read(new TxQuery.ListTransactions(wanted, createdBefore, max),
                mode));
        return new TransactionList(many.transactions().stream()
                .map(t -> TransactionViews.of(t, driver::isFlagged)).toList(), many.matching());
    }

    private Transaction get(String xid, ReadMode mode) {
        TxQuery.One one = (TxQuery.One) await(txLog.read(new TxQuery.Get(xid), mode));
        return one.transaction().orElseThrow(() -> new TransactionNotFoundException("no transaction " + xid));
    }

    /** ISO-8601 ({@code PT5M}) or simple ({@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms}) durations. */
    static Duration duration(String parameter, String text) {
        String value = text.trim();
        try {
            Duration parsed;
            if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
                parsed = Duration.parse(value);
            } else {
                parsed = org.springframework.boot.convert.DurationStyle.SIMPLE.parse(value);
            }
            if (parsed.isNegative()) {
                throw new InvalidRequestException(parameter + " must not be negative, got '" + text + "'");
            }
            return parsed;
        } catch (RuntimeException e) {
            if (e instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            throw new InvalidRequestException(parameter + " must be a duration such as 500ms, 30s, 5m or PT5M, got '"
                    + text + "'");
        }
    }

    private static TransactionMode mode(String mode) {
        if (mode == null) {
            throw new InvalidRequestException("mode is required: TCC or XA");
        }
        TransactionMode parsed;
        try {
            parsed = TransactionMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode must be TCC or XA, got '" + mode + "'");
        }
        if (parsed == TransactionMode.MSG) {
            throw new InvalidRequestException("a message (MSG) is prepared with its payload and check-back URL: "
                    + "POST /v1/messages");
        }
        return parsed;
    }

    private static void check(TxCommand command) {
        Optional<String> problem = TxValidation.problem(command);
        if (problem.isPresent()) {
            throw new InvalidRequestException(problem.get());
        }
    }

    private static void checkXid(String xid) {
        TxValidation.xid(xid).ifPresent(problem -> {
            throw new InvalidRequestException(problem);
        });
    }

    private static TxResult.Ok okOrThrow(TxResult result) {
        return switch (result) {
            case TxResult.Ok ok -> ok;
            case TxResult.Refused refused -> throw switch (refused.reason()) {
                case INVALID_INPUT -> new InvalidRequestException(refused.message());
                case NOT_FOUND -> new TransactionNotFoundException(refused.message());
                case CONFLICT -> new TransactionConflictException(refused.message(), refused.status());
            };
        };
    }

    /**
     * Waits for the log, which bounds every call with the kit's submit-timeout and read-timeout; a Raft failure (no
     * leader, lost leadership, time-out) becomes a 503 in the advice.
     */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new CoordinatorUnavailableException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnavailableException(e);
        }
    }
}
