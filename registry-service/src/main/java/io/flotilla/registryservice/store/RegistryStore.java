package io.flotilla.registryservice.store;

import io.flotilla.raft.server.RaftCodec;
import io.flotilla.raft.server.RaftLog;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.registryservice.state.command.RegistryCodec;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;
import io.flotilla.registryservice.state.RegistryValidation;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The registry's state through Raft: validated writes, reads at a chosen consistency, and blocking reads that
 * return once the answer's index passes a given one. Time-outs are the kit's ({@code submit-timeout},
 * {@code read-timeout}).
 */
public class RegistryStore extends RaftLog<RegistryCommand, RegistryResult, RegistryQuery, RegistryQuery.Answer> {

    private final ChangeNotifier notifier;

    public RegistryStore(RaftServer raft, ChangeNotifier notifier) {
        super(raft, RaftCodec.of(RegistryCodec::encode, RegistryCodec::decodeResult, RegistryCodec::encode,
                RegistryCodec::decodeAnswer));
        this.notifier = notifier;
    }

    public RaftServer raft() {
        return server();
    }

    /**
     * Checks {@code command} and replicates it. Fails with {@link InvalidRequestException} before any log write
     * when the input is bad, and with {@link CommandRefusedException} when the state machine refused it.
     */
    public CompletableFuture<RegistryResult.Ok> write(RegistryCommand command) {
        return write(command, this::submit);
    }

    /**
     * Like {@link #write}, only at the leader: for the leader's own decisions (lease expiry), which a node that has
     * just lost leadership must not push through its successor.
     */
    public CompletableFuture<RegistryResult.Ok> writeAtLeader(RegistryCommand command) {
        return write(command, this::submitAtLeader);
    }

    private CompletableFuture<RegistryResult.Ok> write(RegistryCommand command,
            Function<RegistryCommand, CompletableFuture<RegistryResult>> submission) {
        Optional<String> problem = RegistryValidation.problem(command);
        if (problem.isPresent()) {
            return CompletableFuture.failedFuture(new InvalidRequestException(problem.get()));
        }
        return submission.apply(command).thenApply(result -> {
            if (result instanceof RegistryResult.Refused refused) {
                throw new CommandRefusedException(refused.reason(), refused.message());
            }
            return (RegistryResult.Ok) result;
        });
    }

    /**
     * A blocking query: answers as soon as the answer's index exceeds {@code index}, or with the current answer
     * when {@code wait} runs out. {@code index} 0 answers at once.
     */
    public CompletableFuture<RegistryQuery.Answer> watch(RegistryQuery query, ReadMode mode, long index,
                                                         Duration wait) {
        CompletableFuture<RegistryQuery.Answer> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + wait.toNanos();
        attempt(query, mode, index, deadline, answer);
        return answer;
    }

    private void attempt(RegistryQuery query, ReadMode mode, long index, long deadline,
                         CompletableFuture<RegistryQuery.Answer> answer) {
        if (index <= 0) {
            // Not a blocking query: no waiter to register and then cancel (a cancelled future builds a
            // CancellationException with its stack trace, once per plain read).
            read(query, mode).whenComplete((current, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(current);
                }
            });
            return;
        }
        CompletableFuture<Void> change = notifier.nextChange(query);
        read(query, mode).whenComplete((current, failure) -> {
            if (failure != null) {
                change.cancel(false);
                answer.completeExceptionally(failure);
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (index <= 0 || indexOf(current) > index || remaining <= 0) {
                change.cancel(false);
                answer.complete(current);
                return;
            }
            change.orTimeout(remaining, TimeUnit.NANOSECONDS).whenComplete((changed, timedOut) -> {
                if (timedOut != null) {
                    answer.complete(current);
                } else {
                    attempt(query, mode, index, deadline, answer);
                }
            });
        });
    }

    /** The index a client blocks on; 0 for answers that cannot be watched. */
    public static long indexOf(RegistryQuery.Answer answer) {
        return switch (answer) {
            case RegistryQuery.ServiceNames names -> names.index();
            case RegistryQuery.Instances instances -> instances.index();
            case RegistryQuery.KvEntries entries -> entries.index();
            case RegistryQuery.Lease lease -> 0;
        };
    }

}
