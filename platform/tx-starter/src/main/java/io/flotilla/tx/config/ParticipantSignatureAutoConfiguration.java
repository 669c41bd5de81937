package io.flotilla.tx.config;

import io.flotilla.raft.client.RequestSignature;
import io.flotilla.tx.message.MessageEndpoints;
import io.flotilla.tx.web.PhaseTwoSignatureFilter;
import io.flotilla.tx.web.TccParticipantController;
import io.flotilla.tx.web.XaParticipantController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;

import java.time.Clock;
import java.util.List;

/**
 * Guards the phase-two endpoints, when this application has any, with {@link PhaseTwoSignatureFilter}.
 *
 * <p>A participant without a key does not start (see {@link MissingSigningKeysException}): accepting unsigned
 * calls by default would let anyone who reaches the application decide its transactions, and a forgotten key
 * would look exactly like a configured one. Development setups may opt out explicitly with
 * {@code flotilla.tx.participant.signature-required=false}, which is logged as a warning at every start.
 */
@AutoConfiguration(after = {TccAutoConfiguration.class, XaAutoConfiguration.class},
        afterName = "io.flotilla.tx.message.config.TxMessagesAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(ParticipantSignatureAutoConfiguration.OnParticipantEndpoints.class)
public class ParticipantSignatureAutoConfiguration {

    static final String KEYS_PROPERTY = "flotilla.tx.participant.signing-keys";

    private static final Logger log = LoggerFactory.getLogger(ParticipantSignatureAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(name = "flotillaPhaseTwoSignatureFilter")
    FilterRegistrationBean<PhaseTwoSignatureFilter> flotillaPhaseTwoSignatureFilter(TxProperties properties) {
        TxProperties.Participant participant = properties.getParticipant();
        List<String> keys = participant.getSigningKeys();
        FilterRegistrationBean<PhaseTwoSignatureFilter> registration = new FilterRegistrationBean<>(
                new PhaseTwoSignatureFilter(keys, participant.getSignatureMaxAge(), Clock.systemUTC()));
        registration.addUrlPatterns(participant.getPathPrefix() + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        if (!participant.isSignatureRequired()) {
            log.warn("flotilla.tx.participant.signature-required=false: the phase-two endpoints under {} accept "
                    + "unsigned calls, so anyone who reaches this application can confirm, cancel, commit or roll "
                    + "back its branches. Use this for development only.", participant.getPathPrefix());
            registration.setEnabled(false);
            return registration;
        }
        if (keys.isEmpty()) {
            throw new MissingSigningKeysException();
        }
        RequestSignature.checkKeys(keys, KEYS_PROPERTY);
        return registration;
    }

    /** The application exposes TCC or XA phase-two endpoints, or the message endpoints. */
    static class OnParticipantEndpoints extends AnyNestedCondition {

        OnParticipantEndpoints() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(TccParticipantController.class)
        static class Tcc {
        }

        @ConditionalOnBean(XaParticipantController.class)
        static class Xa {
        }

        @ConditionalOnBean(MessageEndpoints.class)
        static class Messages {
        }
    }
}
