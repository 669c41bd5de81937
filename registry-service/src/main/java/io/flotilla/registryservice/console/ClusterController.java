package io.flotilla.registryservice.console;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The cluster page: both Raft groups, the registry's and the coordinator's, member by member. Raft state has no
 * blocking query, so the live part is polled (every 2 s).
 */
@Hidden
@ConditionalOnConsole
@Controller("consoleClusterController")
@RequestMapping("/ui/cluster")
class ClusterController {

    private final RaftGroups groups;
    private final Coordinator coordinator;

    ClusterController(RaftGroups groups, Coordinator coordinator) {
        this.groups = groups;
        this.coordinator = coordinator;
    }

    /** The page at once; its live part asks the members right after (so a slow member never delays the page). */
    @GetMapping
    ModelAndView page() {
        return new ModelAndView("console/cluster");
    }

    @GetMapping("/live")
    ModelAndView live() {
        return new ModelAndView("console/cluster :: groups", "groups", look());
    }

    /** Both groups at once: each waits at most one call time-out for its slowest member. */
    private List<RaftGroupView> look() {
        try (var calls = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<RaftGroupView> registry = CompletableFuture.supplyAsync(groups::registry, calls);
            CompletableFuture<RaftGroupView> tx = CompletableFuture.supplyAsync(
                    () -> groups.remote("tx-coordinator", coordinator.url()), calls);
            return List.of(registry.join(), tx.join());
        }
    }
}
