package io.flotilla.tx.config;

import io.flotilla.tx.xa.XaUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the database setting or privilege an XA participant lacks. */
class XaUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<XaUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, XaUnavailableException cause) {
        return new FailureAnalysis("This application has @XaBranch methods, but its database cannot run XA branches: "
                + cause.getMessage() + " (" + cause.setting() + ").", cause.action(), cause);
    }
}
