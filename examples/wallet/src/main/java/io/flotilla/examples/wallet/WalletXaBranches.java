package io.flotilla.examples.wallet;

import io.flotilla.tx.xa.XaBranch;

import org.springframework.stereotype.Service;

/**
 * The wallet's XA branches: plain updates that the tx starter runs on an XA connection of the wallet's own database
 * and prepares before the call answers; the coordinator commits or rolls them back. Until then the rows stay locked,
 * so there is nothing to freeze, announce or undo by hand.
 */
@Service
public class WalletXaBranches {

    private final WalletRepository wallets;

    WalletXaBranches(WalletRepository wallets) {
        this.wallets = wallets;
    }

    @XaBranch("wallet")
    public void debit(String owner, Movement movement) {       // refused (nothing prepared) when short
        if (!wallets.withdraw(owner, movement.amount())) {
            throw wallets.find(owner).isEmpty() ? new WalletNotFoundException(owner)
                    : new InsufficientFundsException(owner, movement.amount());
        }
    }

    @XaBranch("wallet")
    public void credit(String owner, Movement movement) {
        if (!wallets.deposit(owner, movement.amount())) {
            throw new WalletNotFoundException(owner);
        }
    }
}
