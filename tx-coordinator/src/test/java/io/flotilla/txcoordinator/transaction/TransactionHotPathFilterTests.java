package io.flotilla.txcoordinator.transaction;

import io.flotilla.txcoordinator.transaction.TransactionHotPathFilter.Call;
import io.flotilla.txcoordinator.transaction.TransactionHotPathFilter.Kind;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests the hot path serves itself; everything else must reach Spring MVC untouched. */
class TransactionHotPathFilterTests {

    @Test
    void theFourCallsOfEveryTransactionAreRecognised() {
        assertThat(recognise(json("POST", "/v1/transactions"))).isEqualTo(new Call(Kind.BEGIN, null, "/v1/transactions"));
        assertThat(recognise(json("POST", "/v1/transactions/x-1/branches")))
                .isEqualTo(new Call(Kind.BRANCH, "x-1", "/v1/transactions/{xid}/branches"));
        assertThat(recognise(new MockHttpServletRequest("POST", "/v1/transactions/x-1/commit")))
                .isEqualTo(new Call(Kind.COMMIT, "x-1", "/v1/transactions/{xid}/commit"));
        assertThat(recognise(new MockHttpServletRequest("POST", "/v1/transactions/x-1/rollback")))
                .isEqualTo(new Call(Kind.ROLLBACK, "x-1", "/v1/transactions/{xid}/rollback"));
        MockHttpServletRequest noContentType = new MockHttpServletRequest("POST", "/v1/transactions");
        assertThat(recognise(noContentType)).isNotNull();
    }

    @Test
    void everyOtherFormIsLeftToSpringMvc() {
        MockHttpServletRequest waiting = new MockHttpServletRequest("POST", "/v1/transactions/x-1/commit");
        waiting.setQueryString("wait=5s");
        MockHttpServletRequest textBody = json("POST", "/v1/transactions");
        textBody.setContentType("text/plain");
        MockHttpServletRequest acceptsXml = json("POST", "/v1/transactions");
        acceptsXml.addHeader("Accept", "application/xml");
        MockHttpServletRequest inContext = json("POST", "/app/v1/transactions");
        inContext.setContextPath("/app");

        assertThat(recognise(waiting)).isNull();
        assertThat(recognise(textBody)).isNull();
        assertThat(recognise(acceptsXml)).isNull();
        assertThat(recognise(inContext)).isNull();
        assertThat(recognise(json("GET", "/v1/transactions"))).isNull();
        assertThat(recognise(json("GET", "/v1/transactions/x-1"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactions/"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactions//commit"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactions/bad%20xid/commit"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactions/x-1/commit/now"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactions/x-1/confirm"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactionsX"))).isNull();
        assertThat(recognise(json("POST", "/v1/messages"))).isNull();
    }

    private static Call recognise(MockHttpServletRequest request) {
        return new TransactionHotPathFilter(null, JsonMapper.builder().build(), (in, out, handler, failure) -> null)
                .recognise(request);
    }

    private static MockHttpServletRequest json(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContentType("application/json");
        return request;
    }
}
