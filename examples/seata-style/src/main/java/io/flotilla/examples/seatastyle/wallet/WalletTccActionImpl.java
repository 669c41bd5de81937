package io.flotilla.examples.seatastyle.wallet;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;

import org.springframework.stereotype.Service;

/**
 * Debit: try freezes the money, commit spends it, rollback unfreezes it. Credit: try announces the money as
 * incoming, commit makes it available, rollback forgets it. The TCC fence ({@code useTCCFence}) runs each commit and
 * rollback at most once per branch, turns a rollback without a try into an empty rollback and refuses a try after its
 * rollback, so these methods only move money. A commit or rollback that returns {@code false} is called again.
 *
 * <p>The tries repeat the interface's {@code @BusinessActionContextParameter}s: Seata 2.0 reads them from the
 * implementing method (without them its commit and rollback find an empty context), Flotilla from either.
 */
@Service
public class WalletTccActionImpl implements WalletTccAction {

    private final WalletRepository wallets;

    public WalletTccActionImpl(WalletRepository wallets) {
        this.wallets = wallets;
    }

    @Override
    public boolean debit(BusinessActionContext context,
            @BusinessActionContextParameter(paramName = "owner") String owner,
            @BusinessActionContextParameter(paramName = "amount") long amount,
            @BusinessActionContextParameter(paramName = "transferId") String transferId) {
        if (!wallets.freeze(owner, amount)) {
            throw wallets.find(owner) == null ? new WalletNotFoundException(owner)
                    : new InsufficientFundsException(owner, amount);
        }
        return true;
    }

    @Override
    public boolean commitDebit(BusinessActionContext context) {
        return wallets.spendFrozen(owner(context), amount(context));
    }

    @Override
    public boolean rollbackDebit(BusinessActionContext context) {
        return wallets.unfreeze(owner(context), amount(context));
    }

    @Override
    public boolean credit(BusinessActionContext context,
            @BusinessActionContextParameter(paramName = "owner") String owner,
            @BusinessActionContextParameter(paramName = "amount") long amount,
            @BusinessActionContextParameter(paramName = "transferId") String transferId) {
        if (!wallets.expect(owner, amount)) {
            throw new WalletNotFoundException(owner);
        }
        return true;
    }

    @Override
    public boolean commitCredit(BusinessActionContext context) {
        return wallets.receive(owner(context), amount(context));
    }

    @Override
    public boolean rollbackCredit(BusinessActionContext context) {
        return wallets.forgetIncoming(owner(context), amount(context));
    }

    private static String owner(BusinessActionContext context) {
        return context.getActionContext("owner", String.class);
    }

    private static long amount(BusinessActionContext context) {
        return context.getActionContext("amount", Long.class);
    }
}
