package io.flotilla.examples.seatastyle.wallet;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import io.seata.rm.tcc.api.LocalTCC;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * The wallet's two TCC actions, declared the Seata way. The try's annotated parameters are its action context,
 * which commit and rollback get back.
 */
@LocalTCC
public interface WalletTccAction {

    @TwoPhaseBusinessAction(name = "wallet-debit", commitMethod = "commitDebit", rollbackMethod = "rollbackDebit",
            useTCCFence = true)
    boolean debit(BusinessActionContext context,
            @BusinessActionContextParameter(paramName = "owner") String owner,
            @BusinessActionContextParameter(paramName = "amount") long amount,
            @BusinessActionContextParameter(paramName = "transferId") String transferId);

    boolean commitDebit(BusinessActionContext context);

    boolean rollbackDebit(BusinessActionContext context);

    @TwoPhaseBusinessAction(name = "wallet-credit", commitMethod = "commitCredit", rollbackMethod = "rollbackCredit",
            useTCCFence = true)
    boolean credit(BusinessActionContext context,
            @BusinessActionContextParameter(paramName = "owner") String owner,
            @BusinessActionContextParameter(paramName = "amount") long amount,
            @BusinessActionContextParameter(paramName = "transferId") String transferId);

    boolean commitCredit(BusinessActionContext context);

    boolean rollbackCredit(BusinessActionContext context);
}
