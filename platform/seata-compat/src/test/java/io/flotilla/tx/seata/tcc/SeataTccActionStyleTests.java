package io.flotilla.tx.seata.tcc;

import io.flotilla.tx.tcc.TccActionDefinition;
import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import io.seata.rm.tcc.api.LocalTCC;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;
import org.junit.jupiter.api.Test;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeataTccActionStyleTests {

    private final SeataTccActionStyle style = new SeataTccActionStyle(JsonMapper.builder().build());
    private final Stock stock = new Stock();

    @Test
    void tryGetsAContextWithItsParametersAndTheBranchAndRecordsTheParameters() throws Throwable {
        TccActionDefinition action = define("reserve");
        Object[] arguments = {null, "sku-1", 3, new Order("o-7", "never recorded"), List.of("first", "second")};

        String record = action.recordTry(arguments, "xid-1", "42");

        assertThat(record).isEqualTo("{\"sku\":\"sku-1\",\"quantity\":3,\"orderId\":\"o-7\",\"tag\":\"second\"}");
        BusinessActionContext context = (BusinessActionContext) arguments[0];
        assertThat(context.getXid()).isEqualTo("xid-1");
        assertThat(context.getBranchId()).isEqualTo(42L);
        assertThat(context.getActionName()).isEqualTo("stock-reservation");
        assertThat(context.getActionContext()).containsExactly(Map.entry("sku", "sku-1"), Map.entry("quantity", 3),
                Map.entry("orderId", "o-7"), Map.entry("tag", "second"));
    }

    @Test
    void commitGetsTheTryValuesAsTheTryDeclaredThemAndConvertsOnAsking() throws Throwable {
        TccActionDefinition action = define("reserve");

        action.confirm("{\"sku\":\"sku-1\",\"quantity\":3,\"orderId\":\"o-7\",\"tag\":\"second\"}", "xid-1", "42");

        BusinessActionContext context = stock.calls.getFirst();
        assertThat(context.getXid()).isEqualTo("xid-1");
        assertThat(context.getBranchId()).isEqualTo(42L);
        assertThat(context.getActionName()).isEqualTo("stock-reservation");
        assertThat(context.getActionContext("quantity")).isEqualTo(3);
        assertThat(context.getActionContext("quantity", Long.class)).isEqualTo(3L);
        assertThat(context.getActionContext("sku", String.class)).isEqualTo("sku-1");
        assertThatThrownBy(() -> context.getActionContext("quantity", int.class))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decimalsInTheRecordedContextComeBackExactlyWithTheirScale() throws Throwable {
        TccActionDefinition action = define("reserve");

        action.confirm("{\"sku\":\"sku-1\",\"quantity\":3,\"price\":12345678901234567.10}", "xid-1", "42");

        BusinessActionContext context = stock.calls.getFirst();
        assertThat(context.getActionContext("price")).isEqualTo(new BigDecimal("12345678901234567.10"));
        assertThat(context.getActionContext("price", BigDecimal.class).scale()).isEqualTo(2);
    }

    @Test
    void commitThatReturnsFalseIsNotDoneSoTheCoordinatorCallsAgain() {
        TccActionDefinition action = define("reserve");
        stock.commitResult = false;

        assertThatThrownBy(() -> action.confirm("{\"sku\":\"sku-1\",\"quantity\":3}", "xid-1", "42"))
            .isInstanceOf(PhaseTwoNotDoneException.class)
            .hasMessageContaining("commit of stock-reservation (commit) returned false for xid-1/42");
    }

    @Test
    void rollbackMayTakeContextValuesAsParameters() throws Throwable {
        TccActionDefinition action = define("reserve");

        action.cancel("{\"sku\":\"sku-1\",\"quantity\":3}", "xid-1", "42");

        assertThat(stock.cancelled).containsExactly("sku-1 x 3");
    }

    @Test
    void commitThatThrowsFailsWithItsOwnException() {
        TccActionDefinition action = define("reserve");
        stock.commitFailure = new IllegalStateException("database down");

        assertThatThrownBy(() -> action.confirm("{}", "xid-1", "42")).isSameAs(stock.commitFailure);
    }

    @Test
    void aMissingCommitMethodStopsStartUpNamingIt() {
        Method tryMethod = ReflectionUtils.findMethod(Broken.class, "reserve", BusinessActionContext.class);

        assertThatThrownBy(() -> style.define(new Broken(), Broken.class, tryMethod))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("commitMethod 'confirmIt'")
            .hasMessageContaining("has no confirmIt(BusinessActionContext)");
    }

    private TccActionDefinition define(String name) {
        Method tryMethod = ReflectionUtils.findMethod(Stock.class, name, BusinessActionContext.class, String.class,
                int.class, Order.class, List.class);
        return style.define(stock, Stock.class, tryMethod);
    }

    public record Order(@BusinessActionContextParameter(paramName = "orderId") String id, String note) {
    }

    @LocalTCC
    public interface StockAction {

        @TwoPhaseBusinessAction(name = "stock-reservation", commitMethod = "commit", rollbackMethod = "rollback",
                rollbackArgsClasses = {String.class, Integer.class}, useTCCFence = true)
        boolean reserve(BusinessActionContext context, @BusinessActionContextParameter(paramName = "sku") String sku,
                @BusinessActionContextParameter("quantity") int quantity,
                @BusinessActionContextParameter(isParamInProperty = true) Order order,
                @BusinessActionContextParameter(paramName = "tag", index = 1) List<String> tags);

        boolean commit(BusinessActionContext context);

        boolean rollback(@BusinessActionContextParameter(paramName = "sku") String sku,
                @BusinessActionContextParameter(paramName = "quantity") Integer quantity);
    }

    static class Stock implements StockAction {

        final List<BusinessActionContext> calls = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        boolean commitResult = true;
        RuntimeException commitFailure;

        @Override
        public boolean reserve(BusinessActionContext context, String sku, int quantity, Order order, List<String> tags) {
            return true;
        }

        @Override
        public boolean commit(BusinessActionContext context) {
            if (commitFailure != null) {
                throw commitFailure;
            }
            calls.add(context);
            return commitResult;
        }

        @Override
        public boolean rollback(String sku, Integer quantity) {
            cancelled.add(sku + " x " + quantity);
            return true;
        }
    }

    @LocalTCC
    public interface BrokenAction {

        @TwoPhaseBusinessAction(name = "broken", commitMethod = "confirmIt", rollbackMethod = "rollback")
        void reserve(BusinessActionContext context);

        void rollback(BusinessActionContext context);
    }

    static class Broken implements BrokenAction {

        @Override
        public void reserve(BusinessActionContext context) {
        }

        @Override
        public void rollback(BusinessActionContext context) {
        }
    }
}
