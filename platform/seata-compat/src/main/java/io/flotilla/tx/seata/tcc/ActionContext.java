package io.flotilla.tx.seata.tcc;

import io.seata.core.model.BranchType;
import io.seata.rm.tcc.api.BusinessActionContext;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/**
 * The {@link BusinessActionContext} a try, commit or rollback gets. Its values are already of the types the try's
 * parameters declared (see {@link ActionContextCodec}); {@link #getActionContext(String, Class)} converts to another
 * type with the starter's JSON mapper, where Seata's own would go through Seata's JSON parser plug-ins and its
 * configuration, which are not on the class path here.
 */
final class ActionContext extends BusinessActionContext {

    private static final long serialVersionUID = 1L;

    private final transient JsonMapper json;

    ActionContext(JsonMapper json, String xid, String branchId, String actionName, Map<String, Object> values) {
        super(xid, branchId, values);
        this.json = json;
        setActionName(actionName);
        setBranchType(BranchType.TCC);
    }

    @Override
    public <T> T getActionContext(String key, Class<T> type) {
        if (type.isPrimitive()) {
            // As Seata: the value may be missing, which a primitive cannot say.
            throw new IllegalArgumentException("the type cannot be a primitive type (" + type
                    + "), because the value may be null; use its wrapper type");
        }
        Object value = getActionContext(key);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        return json.convertValue(value, type);
    }
}
