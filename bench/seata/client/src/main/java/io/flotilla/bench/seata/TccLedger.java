package io.flotilla.bench.seata;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import io.seata.rm.tcc.api.LocalTCC;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;

/** The two TCC actions of the transfer, as a Seata user declares them. */
@LocalTCC
public interface TccLedger {

    @TwoPhaseBusinessAction(name = "seata-bench-debit", commitMethod = "confirmDebit", rollbackMethod = "cancelDebit",
            useTCCFence = true)
    void debit(@BusinessActionContextParameter(paramName = "account") String account,
            @BusinessActionContextParameter(paramName = "amount") long amount);

    boolean confirmDebit(BusinessActionContext context);

    boolean cancelDebit(BusinessActionContext context);

    @TwoPhaseBusinessAction(name = "seata-bench-credit", commitMethod = "confirmCredit", rollbackMethod = "cancelCredit",
            useTCCFence = true)
    void credit(@BusinessActionContextParameter(paramName = "account") String account,
            @BusinessActionContextParameter(paramName = "amount") long amount);

    boolean confirmCredit(BusinessActionContext context);

    boolean cancelCredit(BusinessActionContext context);
}
