package io.flotilla.txcoordinator.transaction;

import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.ReadConsistency;
import io.flotilla.txcoordinator.config.TxProperties;
import io.flotilla.txcoordinator.phasetwo.PhaseTwoDriver;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.state.Transaction;
import io.flotilla.txcoordinator.state.TxMode;
import io.flotilla.txcoordinator.state.TxStatus;
import io.flotilla.txcoordinator.state.TxValidation;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
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
    private static final Duration RAFT_WAIT = Duration.ofSeconds(10);

    private final TxLog txLog;
    private final Clock clock;
    private final TxProperties properties;
    private final PhaseTwoDriver driver;

    public TransactionService(TxLog txLog, Clock clock, TxProperties properties, PhaseTwoDriver driver) {
        this.txLog = txLog;
        this.clock = clock;
        this.properties = properties;
        this.driver = driver;
    }

    public BeginResponse begin(BeginRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body {mode, timeoutMs, name?} is required");
        }
        TxMode mode = mode(request.mode());
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

    public BranchResponse addBranch(String xid, BranchRequest request) {
        checkXid(xid);
        if (request == null) {
            throw new InvalidRequestException("a JSON body {resource, confirmUrl, cancelUrl} is required");
        }
        if (request.resource() == null || request.confirmUrl() == null || request.cancelUrl() == null) {
            throw new InvalidRequestException("resource, confirmUrl and cancelUrl are required");
        }
        RegisterBranch register = new RegisterBranch(xid, request.resource(), request.confirmUrl(),
                request.cancelUrl(), clock.millis());
        check(register);
        return new BranchResponse(okOrThrow(await(txLog.submit(register))).branchId());
    }

    public StatusResponse commit(String xid) {
        checkXid(xid);
        TxResult.Ok ok = okOrThrow(await(txLog.submit(new Commit(xid, clock.millis()))));
        if (!ok.status().committed()) {
            throw new TransactionConflictException("transaction " + xid + " is " + ok.status()
                    + (ok.status() == TxStatus.ROLLING_BACK || ok.status() == TxStatus.ROLLED_BACK
                            ? ": it was rolled back (requested, or timed out) and cannot commit" : ""), ok.status());
        }
        return new StatusResponse(xid, ok.status());
    }

    public StatusResponse rollback(String xid) {
        checkXid(xid);
        TxResult.Ok ok = okOrThrow(await(txLog.submit(new Rollback(xid, clock.millis()))));
        if (!ok.status().rolledBack()) {
            throw new TransactionConflictException("transaction " + xid + " is " + ok.status()
                    + ": the decision to commit is final", ok.status());
        }
        return new StatusResponse(xid, ok.status());
    }

    public TransactionView find(String xid) {
        checkXid(xid);
        return TransactionView.of(get(xid, ReadConsistency.LINEARIZABLE), driver::isFlagged);
    }

    public TransactionList list(String status, String olderThan, Integer limit) {
        TxStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = TxStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("status must be one of ACTIVE, COMMITTING, COMMITTED, ROLLING_BACK, "
                        + "ROLLED_BACK, got '" + status + "'");
            }
        }
        long createdBefore = Long.MAX_VALUE;
        if (olderThan != null && !olderThan.isBlank()) {
            createdBefore = clock.millis() - age(olderThan).toMillis();
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIST) {
            throw new InvalidRequestException("limit must be 1.." + MAX_LIST + ", got " + max);
        }
        TxQuery.Many many = (TxQuery.Many) await(txLog.read(new TxQuery.ListTransactions(wanted, createdBefore, max),
                ReadConsistency.LINEARIZABLE));
        return new TransactionList(many.transactions().stream()
                .map(t -> TransactionView.of(t, driver::isFlagged)).toList(), many.matching());
    }

    private Transaction get(String xid, ReadConsistency consistency) {
        TxQuery.One one = (TxQuery.One) await(txLog.read(new TxQuery.Get(xid), consistency));
        return one.transaction().orElseThrow(() -> new TransactionNotFoundException("no transaction " + xid));
    }

    /** ISO-8601 ({@code PT5M}) or simple ({@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms}) durations. */
    static Duration age(String text) {
        String value = text.trim();
        try {
            Duration parsed;
            if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
                parsed = Duration.parse(value);
            } else {
                parsed = org.springframework.boot.convert.DurationStyle.SIMPLE.parse(value);
            }
            if (parsed.isNegative()) {
                throw new InvalidRequestException("olderThan must not be negative, got '" + text + "'");
            }
            return parsed;
        } catch (RuntimeException e) {
            if (e instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            throw new InvalidRequestException("olderThan must be a duration such as 30s, 5m or PT5M, got '"
                    + text + "'");
        }
    }

    private static TxMode mode(String mode) {
        if (mode == null) {
            throw new InvalidRequestException("mode is required: TCC or XA");
        }
        try {
            return TxMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode must be TCC or XA, got '" + mode + "'");
        }
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

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(RAFT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NotLeaderException notLeader) {
                throw new CoordinatorUnavailableException("this node is not the leader; the leader is "
                        + notLeader.leaderId(), notLeader.leaderId(), cause);
            }
            if (cause instanceof LeaderUnavailableException) {
                throw new CoordinatorUnavailableException("no coordinator leader right now (election in progress)",
                        null, cause);
            }
            throw new CoordinatorUnavailableException("the transaction log failed: " + cause, null, cause);
        } catch (TimeoutException e) {
            throw new CoordinatorUnavailableException("the transaction log did not answer within " + RAFT_WAIT
                    + "; the outcome of a write is unknown", txLog.status().leaderId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinatorUnavailableException("interrupted", null, e);
        }
    }
}
