package io.flotilla.raft.client;

import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of a 503 problem that decide whether a request may go to another node: its {@code type}, when it is
 * one of the {@link RaftProblemType}s, and its {@value RaftProblemType#OUTCOME_PROPERTY} member. A 503 that is
 * not such a problem (a proxy's error page, a server of another kind) has neither, and a write answered with it
 * counts as {@link WriteOutcome#UNKNOWN}.
 *
 * @param type the problem's {@code type} member as sent, or empty
 * @param raftType the Raft problem type it names, if any
 * @param outcome the write outcome it declares, if any
 * @param detail the problem's {@code detail}, or the body as text when it is not a problem
 */
public record RaftProblem(String type, Optional<RaftProblemType> raftType, Optional<WriteOutcome> outcome,
        String detail) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Reads a 503's body. An {@code outcome} other than the two wire names is a broken contract, not a reason to
     * guess: it fails naming the field.
     *
     * @throws IllegalArgumentException when {@code outcome} is present but not {@code not-applied} / {@code unknown}
     */
    public static RaftProblem parse(byte[] body) {
        String text = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
        JsonNode problem;
        try {
            problem = text.isBlank() ? null : JSON.readTree(text);
        }
        catch (JacksonException notJson) {
            problem = null;
        }
        if (problem == null || !problem.isObject()) {
            return new RaftProblem("", Optional.empty(), Optional.empty(), abbreviate(text));
        }
        String type = problem.path("type").isString() ? problem.get("type").asString() : "";
        JsonNode outcome = problem.path(RaftProblemType.OUTCOME_PROPERTY);
        Optional<WriteOutcome> parsedOutcome = outcome.isMissingNode() || outcome.isNull() ? Optional.empty()
                : Optional.of(WriteOutcome.fromWireName(outcome.isString() ? outcome.asString() : outcome.toString()));
        String detail = problem.path("detail").isString() ? problem.get("detail").asString() : abbreviate(text);
        return new RaftProblem(type, RaftProblemType.fromUri(type), parsedOutcome, detail);
    }

    /** Whether the problem proves the write never reached the log. */
    public boolean provesNotApplied() {
        return outcome.filter(WriteOutcome.NOT_APPLIED::equals).isPresent();
    }

    @Override
    public String toString() {
        return (type.isEmpty() ? "no problem type" : type) + outcome.map(o -> ", outcome " + o.wireName()).orElse("")
                + (detail.isEmpty() ? "" : ": " + detail);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
