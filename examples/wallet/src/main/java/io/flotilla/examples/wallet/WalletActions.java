package io.flotilla.examples.wallet;

import io.flotilla.tx.tcc.TccAction;

import org.springframework.stereotype.Service;

/**
 * The wallet's two TCC actions. The tx starter's fence table, written in the same local transaction as each phase,
 * runs every confirm and cancel at most once per branch, records a cancel without a try as an empty rollback and
 * refuses a try that arrives after its cancel; so these methods only move money.
 */
@Service
public class WalletActions {

    private final WalletRepository wallets;

    WalletActions(WalletRepository wallets) {
        this.wallets = wallets;
    }

    @TccAction(name = "wallet-debit", confirm = "confirmDebit", cancel = "cancelDebit")
    public void debit(String owner, Movement movement) {      // try: available -> frozen, refused when short
        if (!wallets.freeze(owner, movement.amount())) {
            throw wallets.find(owner).isEmpty() ? new WalletNotFoundException(owner)
                    : new InsufficientFundsException(owner, movement.amount());
        }
    }

    public void confirmDebit(String owner, Movement movement) {   // the frozen money leaves the wallet
        moved(wallets.spendFrozen(owner, movement.amount()), owner, movement);
    }

    public void cancelDebit(String owner, Movement movement) {    // the frozen money is available again
        moved(wallets.unfreeze(owner, movement.amount()), owner, movement);
    }

    @TccAction(name = "wallet-credit", confirm = "confirmCredit", cancel = "cancelCredit")
    public void credit(String owner, Movement movement) {     // try: announce the money as incoming
        if (!wallets.expect(owner, movement.amount())) {
            throw new WalletNotFoundException(owner);
        }
    }

    public void confirmCredit(String owner, Movement movement) {  // incoming -> available
        moved(wallets.receive(owner, movement.amount()), owner, movement);
    }

    public void cancelCredit(String owner, Movement movement) {   // the money never comes
        moved(wallets.forgetIncoming(owner, movement.amount()), owner, movement);
    }

    /**
     * Phase two runs only after a successful try, so the money is there; if it is not, the table was changed behind
     * the wallet's back. Failing makes the coordinator retry the call.
     */
    private static void moved(boolean moved, String owner, Movement movement) {
        if (!moved) {
            throw new IllegalStateException("wallet " + owner + " no longer holds the " + movement.amount()
                    + " of transfer " + movement.transferId());
        }
    }
}
