package io.flotilla.tx.seata.tcc;

import io.flotilla.tx.tcc.TccActionDefinition;
import io.seata.rm.tcc.api.BusinessActionContext;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code @TwoPhaseBusinessAction}. The try gets a {@link BusinessActionContext} (in place of the one its caller
 * passed, usually {@code null}) holding the xid, the branch id, the action's name and its context values; the same
 * values are the fence row's record, from which commit and rollback get a context of their own. A commit or rollback
 * that returns {@code false} has not done its work, as in Seata: the coordinator calls it again, as after an
 * exception.
 */
record SeataTccAction(String name, Object target, Method tryMethod, int contextArgument,
        List<ContextParameter> parameters, Map<String, Type> types, PhaseTwoMethod commit, PhaseTwoMethod rollback,
        ActionContextCodec codec) implements TccActionDefinition {

    @Override
    public String declaredAs() {
        return "@TwoPhaseBusinessAction";
    }

    @Override
    public String recordTry(Object[] arguments, String xid, String branchId) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (contextArgument >= 0 && arguments[contextArgument] instanceof BusinessActionContext passed
                && passed.getActionContext() != null) {
            values.putAll(passed.getActionContext());
        }
        parameters.forEach(parameter -> parameter.putInto(values, arguments));
        if (contextArgument >= 0) {
            arguments[contextArgument] = new ActionContext(codec.json(), xid, branchId, name, new LinkedHashMap<>(values));
        }
        return codec.encode(values);
    }

    @Override
    public void confirm(String record, String xid, String branchId) throws Throwable {
        run(commit, "commit", record, xid, branchId);
    }

    @Override
    public void cancel(String record, String xid, String branchId) throws Throwable {
        run(rollback, "rollback", record, xid, branchId);
    }

    private void run(PhaseTwoMethod method, String phase, String record, String xid, String branchId) throws Throwable {
        ActionContext context = new ActionContext(codec.json(), xid, branchId, name, codec.decode(record, types));
        Object result = method.invoke(target, context);
        if (Boolean.FALSE.equals(result)) {
            throw new PhaseTwoNotDoneException(name, phase, method.method(), xid, branchId);
        }
    }
}
