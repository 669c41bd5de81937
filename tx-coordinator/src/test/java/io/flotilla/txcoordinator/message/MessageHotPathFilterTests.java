package io.flotilla.txcoordinator.message;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests the coordinator's message hot path serves itself; everything else must reach Spring MVC untouched. */
class MessageHotPathFilterTests {

    @Test
    void aPlainPrepareIsRecognised() {
        assertThat(recognise(json("POST", "/v1/messages"))).isEqualTo(MessageHotPathFilter.Prepare.MESSAGE);
        assertThat(recognise(new MockHttpServletRequest("POST", "/v1/messages"))).isNotNull();
        assertThat(MessageHotPathFilter.Prepare.MESSAGE.pattern()).isEqualTo("/v1/messages");
    }

    @Test
    void everyOtherFormIsLeftToSpringMvc() {
        MockHttpServletRequest query = json("POST", "/v1/messages");
        query.setQueryString("wait=5s");
        MockHttpServletRequest text = json("POST", "/v1/messages");
        text.setContentType("text/plain");
        MockHttpServletRequest xml = json("POST", "/v1/messages");
        xml.addHeader("Accept", "application/xml");
        MockHttpServletRequest inContext = json("POST", "/app/v1/messages");
        inContext.setContextPath("/app");

        assertThat(recognise(query)).isNull();
        assertThat(recognise(text)).isNull();
        assertThat(recognise(xml)).isNull();
        assertThat(recognise(inContext)).isNull();
        assertThat(recognise(json("GET", "/v1/messages"))).isNull();
        assertThat(recognise(json("POST", "/v1/messages/"))).isNull();
        assertThat(recognise(json("POST", "/v1/messages/x"))).isNull();
        assertThat(recognise(json("POST", "/v1/message%73"))).isNull();
        assertThat(recognise(json("POST", "/v1/transactions"))).isNull();
    }

    private static MessageHotPathFilter.Prepare recognise(MockHttpServletRequest request) {
        return new MessageHotPathFilter(null, JsonMapper.builder().build(), (in, out, handler, failure) -> null)
                .recognise(request);
    }

    private static MockHttpServletRequest json(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContentType("application/json");
        return request;
    }
}
