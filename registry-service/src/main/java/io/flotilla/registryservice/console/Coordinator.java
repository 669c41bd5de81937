package io.flotilla.registryservice.console;

import io.flotilla.raft.server.ReadMode;
import io.flotilla.registryservice.state.Instance;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.store.RegistryStore;
import io.flotilla.tx.api.TransactionList;
import io.flotilla.tx.api.TransactionView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The transaction coordinator as the console reaches it: {@code console.coordinator-url} when set, else the first
 * instance registered in this registry under {@code console.coordinator-service}. Only its open query endpoints
 * are used; the console never writes to the coordinator.
 */
class Coordinator {

    private final ConsoleProperties properties;
    private final RegistryStore store;
    private final ConsoleHttp http;

    Coordinator(ConsoleProperties properties, RegistryStore store, ConsoleHttp http) {
        this.properties = properties;
        this.store = store;
        this.http = http;
    }

    Optional<String> url() {
        String configured = properties.getCoordinatorUrl().trim();
        if (!configured.isEmpty()) {
            return Optional.of(configured.split(",")[0].trim().replaceAll("/+$", ""));
        }
        RegistryQuery.Instances instances = (RegistryQuery.Instances) store
                .read(new RegistryQuery.GetInstances(properties.getCoordinatorService()), ReadMode.STALE).join();
        return instances.instances().stream().findFirst().map(Coordinator::baseUrl);
    }

    /** The coordinator's list for one status (null = every status), or why not. */
    Result<TransactionList> list(String status, String olderThan, int limit) {
        Optional<String> url = url();
        if (url.isEmpty()) {
            return Result.failed(notConfigured());
        }
        StringBuilder query = new StringBuilder("/v1/transactions?consistency=stale&limit=").append(limit);
        if (status != null) {
            query.append("&status=").append(encode(status));
        }
        if (olderThan != null && !olderThan.isBlank()) {
            query.append("&olderThan=").append(encode(olderThan.trim()));
        }
        return fetch(url.get() + query, TransactionList.class);
    }

    Result<TransactionView> transaction(String xid) {
        return url().map(base -> fetch(base + "/v1/transactions/" + encode(xid) + "?consistency=stale",
                TransactionView.class)).orElseGet(() -> Result.failed(notConfigured()));
    }

    private <T> Result<T> fetch(String url, Class<T> type) {
        ConsoleHttp.Answer answer = http.getAnswer(url);
        if (!answer.ok()) {
            return Result.failed(answer.status() == 0 ? "the coordinator is " + answer.body()
                    : "the coordinator answered " + answer.status() + ": " + detail(answer.body()));
        }
        return Result.of(http.json().readValue(answer.body(), type));
    }

    private String detail(String body) {
        try {
            return http.json().readTree(body).path("detail").asString(body);
        } catch (RuntimeException e) {
            return body;
        }
    }

    private String notConfigured() {
        return "no coordinator: set " + ConsoleProperties.PREFIX + ".coordinator-url, or register it as "
                + properties.getCoordinatorService();
    }

    private static String baseUrl(Instance instance) {
        return (instance.secure() ? "https://" : "http://") + instance.host() + ":" + instance.port();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A value, or the reason there is none (shown on the page). */
    record Result<T>(T value, String problem) {

        static <T> Result<T> of(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> failed(String problem) {
            return new Result<>(null, problem);
        }
    }
}
