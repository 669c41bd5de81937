package io.flotilla.lock.config;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code flotilla.lock.backend} is set to something that does not bind to a
 * {@link LockProperties.Backend}, by the same lenient rules {@code @ConfigurationProperties} binding uses.
 */
class UnknownLockBackendCondition extends SpringBootCondition {

    static final String PROPERTY = "flotilla.lock.backend";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        if (context.getEnvironment().getProperty(PROPERTY) == null) {
            return ConditionOutcome.noMatch(PROPERTY + " is not set");
        }
        try {
            Binder.get(context.getEnvironment()).bind(PROPERTY, LockProperties.Backend.class);
            return ConditionOutcome.noMatch(PROPERTY + " names a backend");
        } catch (BindException e) {
            return ConditionOutcome.match(PROPERTY + " names no backend");
        }
    }
}
