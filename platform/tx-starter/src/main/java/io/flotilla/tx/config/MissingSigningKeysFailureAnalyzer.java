package io.flotilla.tx.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to set when a participant has no phase-two signing key. */
class MissingSigningKeysFailureAnalyzer extends AbstractFailureAnalyzer<MissingSigningKeysException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingSigningKeysException cause) {
        return new FailureAnalysis(cause.getMessage() + ", and none is set.",
                "Set " + ParticipantSignatureAutoConfiguration.KEYS_PROPERTY + " to the secret the coordinator signs "
                        + "with (its flotilla.coordinator.phase-two.signing-keys, e.g. the output of `openssl rand -hex 32`), "
                        + "or, for development only, set flotilla.tx.participant.signature-required=false.",
                cause);
    }
}
