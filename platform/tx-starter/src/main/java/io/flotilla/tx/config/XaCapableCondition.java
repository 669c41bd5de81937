package io.flotilla.tx.config;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import javax.sql.XADataSource;

/**
 * Matches when XA branches can be opened: the application defines an {@link XADataSource}, or its
 * {@code spring.datasource.url} names a database whose driver ships one the starter knows how to build.
 */
class XaCapableCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        if (context.getBeanFactory() != null
                && context.getBeanFactory().getBeanNamesForType(XADataSource.class, true, false).length > 0) {
            return ConditionOutcome.match("an XADataSource bean is defined");
        }
        String url = context.getEnvironment().getProperty("spring.datasource.url");
        if (url != null && (url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:")
                || url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:h2:"))) {
            return ConditionOutcome.match("spring.datasource.url " + url + " has a known XADataSource");
        }
        return ConditionOutcome.noMatch("no XADataSource bean and no spring.datasource.url with a known XADataSource");
    }
}
