package io.flotilla.lock.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the valid values of {@code flotilla.lock.backend} when it names none. */
class UnknownLockBackendFailureAnalyzer extends AbstractFailureAnalyzer<UnknownLockBackendException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownLockBackendException cause) {
        return new FailureAnalysis("flotilla.lock.backend is set to '" + cause.value() + "', which is not a lock backend.",
                "Set flotilla.lock.backend to one of: " + String.join(", ", UnknownLockBackendException.validBackends())
                        + " (see the lock starter's README), or remove it to use redis.",
                cause);
    }
}
