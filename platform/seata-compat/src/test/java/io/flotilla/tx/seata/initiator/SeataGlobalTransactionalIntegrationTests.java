package io.flotilla.tx.seata.initiator;

import io.flotilla.test.EmbeddedFlotillaServers;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.XidContext;
import io.seata.core.context.RootContext;
import io.seata.spring.annotation.GlobalTransactional;
import io.seata.tm.api.transaction.Propagation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seata's {@code @GlobalTransactional} against a real coordinator (started by {@code flotilla-test}): what it
 * decides for each outcome of the method, read back from the coordinator.
 */
class SeataGlobalTransactionalIntegrationTests {

    static EmbeddedFlotillaServers flotilla;
    static ConfigurableApplicationContext context;
    static Initiator initiator;
    static CoordinatorClient coordinator;

    @BeforeAll
    static void start() {
        flotilla = EmbeddedFlotillaServers.start(false, true);
        context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
            .properties(flotilla.properties())
            .properties("spring.datasource.url=jdbc:h2:mem:seata-initiator")
            .run();
        initiator = context.getBean(Initiator.class);
        coordinator = context.getBean(CoordinatorClient.class);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (flotilla != null) {
            flotilla.close();
        }
    }

    @Test
    void methodThatReturnsCommitsAndSeesItsXidInRootContext() {
        initiator.succeeds();

        String xid = initiator.lastXid();
        assertThat(xid).isNotBlank();
        assertThat(status(xid)).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(RootContext.getXID()).isNull();
        assertThat(XidContext.currentXid()).isNull();
    }

    @Test
    void exceptionRollsBackByDefault() {
        assertThatThrownBy(initiator::fails).isInstanceOf(IllegalStateException.class);

        assertThat(status(initiator.lastXid())).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(RootContext.getXID()).isNull();
    }

    @Test
    void exceptionNamedByNoRollbackForCommitsAndIsRethrown() {
        assertThatThrownBy(initiator::warns).isInstanceOf(BusinessWarning.class);

        assertThat(status(initiator.lastXid())).isEqualTo(GlobalStatus.COMMITTED);
    }

    @Test
    void exceptionThatNoRollbackForRuleMatchesCommitsAsInSeata() {
        // Seata: once rules are given, an exception none of them matches does not roll back
        assertThatThrownBy(initiator::failsOutsideItsRules).isInstanceOf(IllegalStateException.class);

        assertThat(status(initiator.lastXid())).isEqualTo(GlobalStatus.COMMITTED);
    }

    @Test
    void exceptionNamedByRollbackForRollsBack() {
        assertThatThrownBy(initiator::failsWithinItsRules).isInstanceOf(IOException.class);

        assertThat(status(initiator.lastXid())).isEqualTo(GlobalStatus.ROLLED_BACK);
    }

    @Test
    void propagationOtherThanRequiredIsRefusedBeforeAnythingBegins() {
        int before = initiator.calls();

        assertThatThrownBy(initiator::requiresNew).isInstanceOf(UnsupportedOperationException.class)
            .hasMessageContaining("REQUIRES_NEW");

        assertThat(initiator.calls()).isEqualTo(before);
    }

    private static GlobalStatus status(String xid) {
        return coordinator.status(xid).status();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        Initiator initiator() {
            return new Initiator();
        }
    }

    static class BusinessWarning extends RuntimeException {
    }

    static class Initiator {

        final List<String> xids = new ArrayList<>();

        String lastXid() {
            return xids.getLast();
        }

        int calls() {
            return xids.size();
        }

        @GlobalTransactional(timeoutMills = 20_000, name = "succeeds")
        public void succeeds() {
            xids.add(RootContext.getXID());
        }

        @GlobalTransactional
        public void fails() {
            xids.add(RootContext.getXID());
            throw new IllegalStateException("business failure");
        }

        @GlobalTransactional(noRollbackFor = BusinessWarning.class)
        public void warns() {
            xids.add(RootContext.getXID());
            throw new BusinessWarning();
        }

        @GlobalTransactional(rollbackFor = IOException.class)
        public void failsOutsideItsRules() {
            xids.add(RootContext.getXID());
            throw new IllegalStateException("not an IOException");
        }

        @GlobalTransactional(rollbackFor = IOException.class)
        public void failsWithinItsRules() throws IOException {
            xids.add(RootContext.getXID());
            throw new IOException("disk full");
        }

        @GlobalTransactional(propagation = Propagation.REQUIRES_NEW)
        public void requiresNew() {
            xids.add(RootContext.getXID());
        }
    }
}
