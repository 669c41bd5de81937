package io.flotilla.tx.web;

import io.flotilla.tx.message.MessageEndpoints;
import io.flotilla.tx.web.PhaseTwoHotPathFilter.Call;
import io.flotilla.tx.web.PhaseTwoHotPathFilter.Kind;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests the participant's hot path serves itself; everything else must reach Spring MVC untouched. */
class PhaseTwoHotPathFilterTests {

    private static final PhaseTwoHotPathFilter ALL = filter("/flotilla/tx", true, true, true);

    @Test
    void theCoordinatorsPhaseTwoCallsAreRecognised() {
        assertThat(ALL.recognise(json("/flotilla/tx/tcc/debit/confirm")))
                .isEqualTo(new Call(Kind.TCC_CONFIRM, "debit", "/flotilla/tx/tcc/{resource}/confirm"));
        assertThat(ALL.recognise(json("/flotilla/tx/tcc/debit/cancel")))
                .isEqualTo(new Call(Kind.TCC_CANCEL, "debit", "/flotilla/tx/tcc/{resource}/cancel"));
        assertThat(ALL.recognise(json("/flotilla/tx/xa/orders-db.main_1/commit")))
                .isEqualTo(new Call(Kind.XA_COMMIT, "orders-db.main_1", "/flotilla/tx/xa/{resource}/commit"));
        assertThat(ALL.recognise(json("/flotilla/tx/xa/ledger/rollback")))
                .isEqualTo(new Call(Kind.XA_ROLLBACK, "ledger", "/flotilla/tx/xa/{resource}/rollback"));
        assertThat(ALL.recognise(json("/flotilla/tx/messages/audit/receive")))
                .isEqualTo(new Call(Kind.MESSAGE_RECEIVE, "audit", "/flotilla/tx/messages/{receiver}/receive"));
        MockHttpServletRequest withCharset = json("/flotilla/tx/tcc/debit/cancel");
        withCharset.setContentType("application/json;charset=UTF-8");
        assertThat(ALL.recognise(withCharset)).isNotNull();
        MockHttpServletRequest inContext = json("/shop/flotilla/tx/tcc/debit/cancel");
        inContext.setContextPath("/shop");
        assertThat(ALL.recognise(inContext)).isEqualTo(new Call(Kind.TCC_CANCEL, "debit", "/flotilla/tx/tcc/{resource}/cancel"));
        assertThat(filter("/p2", true, false, false).recognise(json("/p2/tcc/debit/cancel"))).isNotNull();
        assertThat(ALL.recognise(json("/flotilla/tx/phase-two/batch")))
                .isEqualTo(new Call(Kind.BATCH, null, "/flotilla/tx/phase-two/batch"));
        MockHttpServletRequest batchInContext = json("/shop/flotilla/tx/phase-two/batch");
        batchInContext.setContextPath("/shop");
        assertThat(ALL.recognise(batchInContext)).isEqualTo(new Call(Kind.BATCH, null, "/flotilla/tx/phase-two/batch"));
    }

    @Test
    void aBatchCallNamesItsEndpointByTheLastThreeSegmentsOfItsPath() {
        assertThat(PhaseTwoBatchController.target("/flotilla/tx/tcc/debit/confirm"))
                .isEqualTo(new PhaseTwoBatchController.Target("tcc", "debit", "confirm"));
        assertThat(PhaseTwoBatchController.target("/shop/flotilla/tx/xa/orders-db.main_1/rollback"))
                .isEqualTo(new PhaseTwoBatchController.Target("xa", "orders-db.main_1", "rollback"));
        for (String path : new String[] {null, "", "/", "confirm", "/debit/confirm", "/tcc/../confirm",
                "/tcc/deb%69t/confirm", "/tcc/debit/confirm?x=1", "/tcc//confirm"}) {
            assertThat(PhaseTwoBatchController.target(path)).as(path).isNull();
        }
    }

    @Test
    void everyOtherFormIsLeftToSpringMvc() {
        MockHttpServletRequest query = json("/flotilla/tx/tcc/debit/cancel");
        query.setQueryString("via=controller");
        MockHttpServletRequest noContentType = json("/flotilla/tx/tcc/debit/cancel");
        noContentType.setContentType(null);
        MockHttpServletRequest text = json("/flotilla/tx/tcc/debit/cancel");
        text.setContentType("text/plain");
        MockHttpServletRequest xml = json("/flotilla/tx/tcc/debit/cancel");
        xml.addHeader("Accept", "application/xml");
        MockHttpServletRequest get = json("/flotilla/tx/tcc/debit/cancel");
        get.setMethod("GET");

        assertThat(ALL.recognise(query)).isNull();
        assertThat(ALL.recognise(noContentType)).isNull();
        assertThat(ALL.recognise(text)).isNull();
        assertThat(ALL.recognise(xml)).isNull();
        assertThat(ALL.recognise(get)).isNull();
        for (String path : new String[] {"/flotilla/tx/tcc/debit/cancel/", "/flotilla/tx/tcc/debit/cancel/x",
                "/flotilla/tx/tcc//cancel", "/flotilla/tx/tcc/./cancel", "/flotilla/tx/tcc/../cancel",
                "/flotilla/tx/tcc/deb%69t/cancel", "/flotilla/tx/tcc/debit;v=1/cancel", "/flotilla/tx/tcc/debit/commit",
                "/flotilla/tx/xa/ledger/confirm", "/flotilla/tx/messages/producer/check", "/flotilla/tx/tcc/debit",
                "/flotilla/tx/tcc", "/flotilla/tx/", "/flotilla/tx", "/flotilla/txx/tcc/debit/cancel",
                "/other/tcc/debit/cancel", "/flotilla/tx/TCC/debit/cancel", "/flotilla/tx/phase-two/batch/",
                "/flotilla/tx/phase-two", "/flotilla/tx/phase-two/batches", "/flotilla/tx/phase-two/x/batch"}) {
            assertThat(ALL.recognise(json(path))).as(path).isNull();
        }
        MockHttpServletRequest outsideContext = json("/flotilla/tx/tcc/debit/cancel");
        outsideContext.setContextPath("/shop");
        assertThat(ALL.recognise(outsideContext)).isNull();
    }

    @Test
    void callsOfEndpointsTheApplicationDoesNotHaveAreLeftToSpringMvc() {
        PhaseTwoHotPathFilter tccOnly = filter("/flotilla/tx", true, false, false);
        assertThat(tccOnly.recognise(json("/flotilla/tx/tcc/debit/cancel"))).isNotNull();
        assertThat(tccOnly.recognise(json("/flotilla/tx/xa/ledger/commit"))).isNull();
        assertThat(tccOnly.recognise(json("/flotilla/tx/messages/audit/receive"))).isNull();
        assertThat(filter("/flotilla/tx", false, false, true).recognise(json("/flotilla/tx/phase-two/batch"))).isNull();
    }

    private static PhaseTwoHotPathFilter filter(String prefix, boolean tcc, boolean xa, boolean messages) {
        TccParticipantController tccController = tcc ? new TccParticipantController(null) : null;
        XaParticipantController xaController = xa ? new XaParticipantController(null) : null;
        return new PhaseTwoHotPathFilter(prefix, tccController, xaController,
                messages ? new MessageEndpoints(null, null) : null,
                tcc || xa ? new PhaseTwoBatchController(tccController, xaController) : null, JsonMapper.builder().build(), (in, out, handler, failure) -> null);
    }

    private static MockHttpServletRequest json(String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        request.setContentType("application/json");
        return request;
    }
}
