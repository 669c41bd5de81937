package io.flotilla.tx.it;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.tx.core.XidContext;
import io.flotilla.tx.it.ledger.Account;
import io.flotilla.tx.xa.FlotillaXid;
import io.flotilla.tx.xa.XaDataSources;
import io.flotilla.tx.xa.XaResourceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XA end to end: branches on PostgreSQL (bank-a) and MariaDB (bank-b) in participant processes, prepared before
 * the participant answers, committed or rolled back by the real coordinator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedLedgerCluster.class)
class XaIntegrationTests {

    private static final Duration FINISH = Duration.ofSeconds(90);

    private LedgerCluster cluster;
    private LedgerCluster.Participant bankA;
    private LedgerCluster.Participant bankB;

    @BeforeAll
    void useCluster(LedgerCluster cluster) {
        this.cluster = cluster;
        bankA = cluster.bankA;
        bankB = cluster.bankB;
    }

    @AfterEach
    void restoreCluster() {
        cluster.restore();
    }

    private static String account() {
        return "xa-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anXaTransferCommitsOnPostgresAndMariaDb() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);

        String xid = cluster.template.execute(TransactionMode.XA, tx -> {
            bankA.call("xa", "debit", from, 35);
            bankB.call("xa", "credit", to, 35);
            return tx.xid();
        });

        assertThat(cluster.awaitFinished(xid, FINISH).status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(bankA.account(from).balance()).isEqualTo(65);
        assertThat(bankB.account(to).balance()).isEqualTo(35);
    }

    @Test
    void preparedBranchesSurviveParticipantKillsAndCommitAfterwards() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);

        String xid = cluster.template.execute(TransactionMode.XA, tx -> {
            bankA.call("xa", "debit", from, 20);
            bankB.call("xa", "credit", to, 20);
            bankA.process.kill();
            bankB.process.kill();
            // Both branches are prepared in their databases, and no participant process is left to hold them.
            assertThat(inDoubt(bankA)).contains(tx.xid());
            assertThat(inDoubt(bankB)).contains(tx.xid());
            return tx.xid();
        });
        assertThat(cluster.coordinator.status(xid).status()).isEqualTo(GlobalStatus.COMMITTING);

        cluster.restore();
        TransactionView view = cluster.awaitFinished(xid, FINISH);
        assertThat(view.status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(bankA.account(from)).isEqualTo(new Account(from, 80, 0, 0));
        assertThat(bankB.account(to)).isEqualTo(new Account(to, 20, 0, 0));
        assertThat(inDoubt(bankA)).doesNotContain(xid);
        assertThat(inDoubt(bankB)).doesNotContain(xid);
    }

    @Test
    void anXaTransactionThatTimesOutIsRolledBack() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);
        String xid = cluster.coordinator.begin(TransactionMode.XA, Duration.ofMillis(1500), "xa-timeout").xid();

        try (XidContext.Scope ignored = XidContext.bind(xid, TransactionMode.XA)) {
            bankA.call("xa", "debit", from, 50);
            bankB.call("xa", "credit", to, 50);
        }
        // The initiator never commits: the coordinator's timeout rolls both prepared branches back.

        TransactionView view = cluster.awaitFinished(xid, FINISH);
        assertThat(view.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(bankA.account(from).balance()).isEqualTo(100);
        assertThat(bankB.account(to).balance()).isEqualTo(0);
        assertThat(inDoubt(bankA)).doesNotContain(xid);
        assertThat(inDoubt(bankB)).doesNotContain(xid);
    }

    /** The prepared branches of a participant, read from its database with the participant's recovery tag. */
    private static java.util.List<String> inDoubt(LedgerCluster.Participant participant) {
        try (XaResourceManager resources = new XaResourceManager(XaDataSources.forUrl(participant.database.jdbcUrl(),
                participant.database.username(), participant.database.password()), participant.recoveryTag)) {
            return resources.recover().stream().map(FlotillaXid::xid).toList();
        }
    }
}
