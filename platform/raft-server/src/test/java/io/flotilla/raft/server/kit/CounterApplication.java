package io.flotilla.raft.server.kit;

import io.flotilla.raft.server.CountingStateMachine;
import io.flotilla.raft.server.RaftProblems;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.raft.server.RaftService;
import io.flotilla.raft.server.ReadMode;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.concurrent.CompletableFuture;

/**
 * The smallest Raft-backed service: a replicated counter built on the kit exactly as registry-service and
 * tx-coordinator are (a {@link RaftService} bean and its properties), so the kit's whole edge is tested for real.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class CounterApplication {

    static final String PREFIX = "counter.server";

    @Bean
    @ConfigurationProperties(PREFIX)
    RaftServerProperties counterRaftProperties() {
        return new RaftServerProperties();
    }

    @Bean
    RaftService counterRaftService() {
        return new RaftService("counter", PREFIX, new CountingStateMachine());
    }

    @RestController
    static class CounterController {

        private final RaftServer raft;

        CounterController(RaftServer raft) {
            this.raft = raft;
        }

        /** Adds the body's number; answers the new sum. */
        @PostMapping("/v1/count")
        CompletableFuture<Long> add(@RequestBody String amount) {
            return raft.submit(CountingStateMachine.toBytes(Long.parseLong(amount.trim())))
                    .thenApply(result -> CountingStateMachine.fromBytes(result.result()));
        }

        @GetMapping("/v1/count")
        CompletableFuture<Long> read(@RequestParam(required = false) String consistency) {
            return raft.read(new byte[0], ReadMode.of(consistency, null))
                    .thenApply(result -> CountingStateMachine.fromBytes(result.result()));
        }
    }

    @RestControllerAdvice(assignableTypes = CounterController.class)
    static class CounterProblems {

        private final RaftServer raft;

        CounterProblems(RaftServer raft) {
            this.raft = raft;
        }

        @ExceptionHandler(Exception.class)
        ResponseEntity<ProblemDetail> handle(Exception exception) {
            return RaftProblems.of(exception, raft.retryAfter()).orElseThrow();
        }
    }
}
