package io.flotilla.registryservice.console;

import io.swagger.v3.oas.annotations.Hidden;
import io.flotilla.tx.api.BranchView;
import io.flotilla.tx.api.TransactionList;
import io.flotilla.tx.api.TransactionView;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriComponentsBuilder;

import java.net.URI;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The transactions page, from the coordinator's own query endpoints: in flight (active, committing, rolling back)
 * by default, or flagged (a branch failed phase two often enough to alert), or one status; filtered by age; and
 * one transaction with its branches. The coordinator has no blocking query, so the live part is polled (every 2 s).
 */
@Hidden
@ConditionalOnConsole
@Controller("consoleTransactionsController")
@RequestMapping("/ui/transactions")
class TransactionsController {

    static final List<String> IN_FLIGHT = List.of("ACTIVE", "COMMITTING", "ROLLING_BACK");
    static final List<String> FILTERS = List.of("in-flight", "flagged", "ACTIVE", "COMMITTING", "ROLLING_BACK",
            "COMMITTED", "ROLLED_BACK", "all");
    private static final int LIMIT = 100;

    /** One transaction in the list. */
    public record Row(String xid, String mode, String name, String status, String age, int branches, int attempts,
               boolean flagged, String lastError) {
    }

    private final Coordinator coordinator;
    private final Clock clock;

    TransactionsController(Coordinator coordinator, Clock clock) {
        this.coordinator = coordinator;
        this.clock = clock;
    }

    /** The page and its filters at once; its live part asks the coordinator right after. */
    @GetMapping
    ModelAndView page(@RequestParam(defaultValue = "in-flight") String filter,
                      @RequestParam(defaultValue = "") String olderThan) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("filter", FILTERS.contains(filter) ? filter : "in-flight");
        model.put("filters", FILTERS);
        model.put("olderThan", olderThan);
        return new ModelAndView("console/transactions", model);
    }

    @GetMapping("/live")
    ModelAndView live(@RequestParam(defaultValue = "in-flight") String filter,
                      @RequestParam(defaultValue = "") String olderThan) {
        return new ModelAndView("console/transactions :: list", list(filter, olderThan));
    }

    /** The "follow xid" form: to that transaction's page. */
    @GetMapping("/follow")
    ResponseEntity<Void> follow(@RequestParam(defaultValue = "") String xid) {
        String path = xid.isBlank() ? "/ui/transactions"
                : UriComponentsBuilder.fromPath("/ui/transactions/{xid}").buildAndExpand(xid.trim()).encode().toUriString();
        return ResponseEntity.status(303).location(URI.create(path)).build();
    }

    @GetMapping("/{xid}")
    ModelAndView transaction(@PathVariable String xid) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("xid", xid);
        model.put("asked", false);
        return new ModelAndView("console/transaction", model);
    }

    @GetMapping("/{xid}/live")
    ModelAndView liveTransaction(@PathVariable String xid) {
        return new ModelAndView("console/transaction :: detail", one(xid));
    }

    private Map<String, Object> one(String xid) {
        Coordinator.Result<TransactionView> found = coordinator.transaction(xid);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("xid", xid);
        model.put("asked", true);
        model.put("problem", found.problem());
        model.put("tx", found.value());
        model.put("age", found.value() == null ? null : age(found.value()));
        return model;
    }

    private Map<String, Object> list(String filter, String olderThan) {
        String chosen = FILTERS.contains(filter) ? filter : "in-flight";
        List<String> statuses = switch (chosen) {
            case "in-flight", "flagged" -> IN_FLIGHT;
            case "all" -> java.util.Collections.singletonList(null);
            default -> List.of(chosen);
        };
        List<Coordinator.Result<TransactionList>> answers;
        try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
            answers = statuses.stream()
                    .map(status -> CompletableFuture.supplyAsync(() -> coordinator.list(status, olderThan, LIMIT), calls))
                    .toList().stream().map(CompletableFuture::join).toList();
        }
        List<TransactionView> found = new ArrayList<>();
        int matching = 0;
        String problem = null;
        for (Coordinator.Result<TransactionList> answer : answers) {
            if (answer.problem() != null) {
                problem = answer.problem();
                break;
            }
            found.addAll(answer.value().transactions());
            matching += answer.value().matching();
        }
        List<Row> rows = found.stream()
                .filter(tx -> !"flagged".equals(chosen) || tx.branches().stream().anyMatch(BranchView::flagged))
                .sorted(Comparator.comparing(TransactionView::createdAt))
                .map(this::row).toList();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("filter", chosen);
        model.put("filters", FILTERS);
        model.put("olderThan", olderThan);
        model.put("transactions", rows);
        model.put("matching", matching);
        model.put("problem", problem);
        model.put("coordinatorUrl", coordinator.url().orElse(null));
        return model;
    }

    private Row row(TransactionView tx) {
        int attempts = tx.branches().stream().mapToInt(BranchView::attempts).sum();
        boolean flagged = tx.branches().stream().anyMatch(BranchView::flagged);
        String lastError = tx.branches().stream().filter(b -> b.lastError() != null)
                .max(Comparator.comparing(b -> b.lastAttemptAt() == null ? tx.createdAt() : b.lastAttemptAt()))
                .map(BranchView::lastError).orElse(null);
        return new Row(tx.xid(), tx.mode().name(), tx.name() == null ? "" : tx.name(), tx.status().name(), age(tx),
                tx.branches().size(), attempts, flagged, lastError);
    }

    private String age(TransactionView tx) {
        return tx.createdAt() == null ? "—" : Durations.format(Duration.between(tx.createdAt(), clock.instant()));
    }
}
