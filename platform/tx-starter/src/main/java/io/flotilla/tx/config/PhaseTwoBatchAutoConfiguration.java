package io.flotilla.tx.config;

import io.flotilla.tx.web.PhaseTwoBatchController;
import io.flotilla.tx.web.TccParticipantController;
import io.flotilla.tx.web.XaParticipantController;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The batch endpoint ({@link PhaseTwoBatchController}) of an application with TCC or XA phase-two endpoints. Its
 * bean's presence is what makes the registrations announce it ({@link TxAutoConfiguration}'s callbacks): an
 * application that replaces or removes it keeps getting single calls.
 */
@AutoConfiguration(after = {TccAutoConfiguration.class, XaAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(PhaseTwoBatchAutoConfiguration.OnBranchEndpoints.class)
public class PhaseTwoBatchAutoConfiguration {

    /** The controller's bean name, looked up by the registrations. */
    static final String CONTROLLER_BEAN = "flotillaPhaseTwoBatchController";

    @Bean(CONTROLLER_BEAN)
    @ConditionalOnMissingBean(name = CONTROLLER_BEAN)
    PhaseTwoBatchController flotillaPhaseTwoBatchController(ObjectProvider<TccParticipantController> tcc,
            ObjectProvider<XaParticipantController> xa) {
        return new PhaseTwoBatchController(tcc.getIfAvailable(), xa.getIfAvailable());
    }

    /** The application exposes TCC or XA phase-two endpoints. */
    static class OnBranchEndpoints extends AnyNestedCondition {

        OnBranchEndpoints() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(TccParticipantController.class)
        static class Tcc {
        }

        @ConditionalOnBean(XaParticipantController.class)
        static class Xa {
        }
    }
}
