package io.flotilla.e2e.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.testsupport.db.TestDatabase;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the shop keeps, as comparable text: every row of the shop's databases (stock, orders, TCC fences;
 * not the migration histories), the registry's KV (locks, worker-id leases and idempotency keys live there) with
 * each key's modification index, the registered instances, and the coordinator's transactions with their branch
 * states. Two snapshots are equal when nothing was written in between.
 */
public final class ShopState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShopState() {
    }

    public static Map<String, String> snapshot(List<TestDatabase> databases, String registryUrl, String coordinatorUrl)
            throws Exception {
        Map<String, String> state = new TreeMap<>();
        for (TestDatabase database : databases) {
            tables(database, state);
        }
        JsonNode kv = get(registryUrl + "/v1/kv/?recurse");
        List<String> keys = new ArrayList<>();
        kv.forEach(entry -> keys.add(entry.path("key").asText() + "@" + entry.path("modIndex").asText()));
        state.put("registry kv", String.join(", ", keys));
        List<String> instances = new ArrayList<>();
        for (JsonNode service : fieldsOrElements(get(registryUrl + "/v1/services"))) {
            String name = service.isTextual() ? service.asText() : service.path("name").asText(service.asText());
            get(registryUrl + "/v1/services/" + name + "/instances")
                .forEach(instance -> instances.add(name + "/" + instance.path("instanceId").asText(instance.path("id").asText())));
        }
        state.put("registry instances", String.join(", ", instances.stream().sorted().toList()));
        List<String> transactions = new ArrayList<>();
        get(coordinatorUrl + "/v1/transactions?limit=1000").path("transactions").forEach(transaction -> {
            StringBuilder line = new StringBuilder(transaction.path("xid").asText()).append(' ')
                .append(transaction.path("status").asText());
            transaction.path("branches").forEach(branch -> line.append(' ').append(branch.path("branchId").asText())
                .append('=').append(branch.path("status").asText()));
            transactions.add(line.toString());
        });
        state.put("coordinator transactions", String.join("; ", transactions.stream().sorted().toList()));
        return state;
    }

    private static void tables(TestDatabase database, Map<String, String> state) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                database.password() == null ? "" : database.password());
             Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                    + "AND table_name NOT LIKE '%schema_history' ORDER BY table_name")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*), coalesce(md5(string_agg(t::text, '|' "
                        + "ORDER BY t::text)), '') FROM \"" + table + "\" t")) {
                    rows.next();
                    state.put(database.name() + "." + table, rows.getLong(1) + " rows " + rows.getString(2));
                }
            }
        }
    }

    private static Iterable<JsonNode> fieldsOrElements(JsonNode node) {
        if (node.isObject()) {
            List<JsonNode> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(name -> names.add(JSON.getNodeFactory().textNode(name)));
            return names;
        }
        return node;
    }

    private static JsonNode get(String url) throws Exception {
        URI uri = URI.create(url);
        RawHttp.Answer answer = RawHttp.send(uri.getPort(), "GET", uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), Map.of("Accept", "application/json"), null, 30_000);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + answer.status() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }
}
