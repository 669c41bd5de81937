package io.flotilla.tx.seata.config;

import io.flotilla.tx.config.TccAutoConfiguration;
import io.flotilla.tx.config.TxAutoConfiguration;
import io.flotilla.tx.config.TxWebAutoConfiguration;
import io.flotilla.tx.seata.tcc.SeataTccActionStyle;
import io.flotilla.tx.tcc.FlotillaTccActionStyle;
import io.flotilla.tx.tcc.TccActionRegistry;
import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.LocalTCC;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SeataCompatAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TxAutoConfiguration.class, TxWebAutoConfiguration.class,
                TccAutoConfiguration.class, SeataCompatAutoConfiguration.class));

    @Test
    void withADataSourceSeataActionsJoinTheStartersRegistryBesideItsOwnStyle() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:seata-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .withBean(Points.class)
            .run(context -> {
                assertThat(context).hasSingleBean(SeataTccActionStyle.class).hasSingleBean(FlotillaTccActionStyle.class);
                assertThat(context.getBean(TccActionRegistry.class).get("points").tryMethod().getName()).isEqualTo("award");
                assertThat(AopUtils.isAopProxy(context.getBean(PointsAction.class))).isTrue();
            });
    }

    @Test
    void aSeataActionNamingAMissingRollbackMethodStopsStartUp() {
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:seata-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .withBean(Misnamed.class)
            .run(context -> assertThat(context).hasFailed().getFailure()
                .hasMessageContaining("names rollbackMethod 'undo', but")
                .hasMessageContaining("has no undo(BusinessActionContext)"));
    }

    @Test
    void withoutADataSourceOnlyTheInitiatorSideIsThere() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeataTccActionStyle.class));
    }

    @LocalTCC
    public interface PointsAction {

        @TwoPhaseBusinessAction(name = "points")
        boolean award(BusinessActionContext context);

        boolean commit(BusinessActionContext context);

        boolean rollback(BusinessActionContext context);
    }

    static class Points implements PointsAction {

        @Override
        public boolean award(BusinessActionContext context) {
            return true;
        }

        @Override
        public boolean commit(BusinessActionContext context) {
            return true;
        }

        @Override
        public boolean rollback(BusinessActionContext context) {
            return true;
        }
    }

    @LocalTCC
    public interface MisnamedAction {

        @TwoPhaseBusinessAction(name = "misnamed", rollbackMethod = "undo")
        boolean award(BusinessActionContext context);

        boolean commit(BusinessActionContext context);
    }

    static class Misnamed implements MisnamedAction {

        @Override
        public boolean award(BusinessActionContext context) {
            return true;
        }

        @Override
        public boolean commit(BusinessActionContext context) {
            return true;
        }
    }
}
