package io.flotilla.tx.tcc;

/**
 * What the fence decided for a confirm or a cancel.
 *
 * @param action  what the caller must do
 * @param payload the try's recorded arguments when {@code action} is {@link Action#RUN}, else {@code null}
 * @param status  the status found when {@code action} is {@link Action#CONFLICT}
 */
public record FenceDecision(Action action, String payload, FenceStatus status) {

    public enum Action {
        /** First confirm (cancel) of a tried branch: run the business confirm (cancel) in this transaction. */
        RUN,
        /** Already confirmed (cancelled) before: succeed without running anything. */
        DUPLICATE,
        /** No try was recorded: the phase recorded itself (empty rollback) and succeeds without running anything. */
        EMPTY,
        /** The branch went the other way (confirm after cancel or the reverse): refuse. */
        CONFLICT
    }
}
