package io.flotilla.idservice.segments;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = "flotilla.id.state-dir=${java.io.tmpdir}/flotilla-id-tests-${random.uuid}")
@AutoConfigureMockMvc
class SegmentControllerTests {

    @Autowired
    MockMvc mvc;

    private void create(String tag, long step) throws Exception {
        mvc.perform(post("/v1/segments").contentType(MediaType.APPLICATION_JSON)
            .content("{\"tag\":\"" + tag + "\",\"step\":" + step + "}"))
            .andExpect(status().isCreated())
            .andExpect(header().string("Location", "/v1/segments/" + tag))
            .andExpect(jsonPath("$.tag").value(tag))
            .andExpect(jsonPath("$.step").value(step));
    }

    private long next(String tag) throws Exception {
        String json = mvc.perform(get("/v1/segments/{tag}/next", tag))
            .andExpect(status().isOk())
            .andExpect(content().contentType(MediaType.APPLICATION_JSON))
            .andReturn()
            .getResponse()
            .getContentAsString();
        return Long.parseLong(JsonPath.read(json, "$.id"));
    }

    private void expectProblem(RequestBuilder request, int status, String detail) throws Exception {
        mvc.perform(request)
            .andExpect(status().is(status))
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
            .andExpect(jsonPath("$.status").value(status))
            .andExpect(jsonPath("$.detail").value(containsString(detail)))
            .andExpect(content().string(not(containsString("at io.flotilla"))));
    }

    @Test
    void createdTagIssuesIdsFromOneAsStrings() throws Exception {
        create("order", 100);
        mvc.perform(get("/v1/segments/order/next")).andExpect(status().isOk()).andExpect(jsonPath("$.id").value("1"));
        assertThat(next("order")).isEqualTo(2);
    }

    @Test
    void batchIsIncreasingAndContinuesFromNext() throws Exception {
        create("line", 10);
        long first = next("line");
        String json = mvc.perform(get("/v1/segments/line").param("count", "25"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.ids.length()").value(25))
            .andReturn()
            .getResponse()
            .getContentAsString();
        List<String> ids = JsonPath.read(json, "$.ids");
        long[] values = ids.stream().mapToLong(Long::parseLong).toArray();
        assertThat(values).isSorted().doesNotHaveDuplicates();
        assertThat(values[0]).isGreaterThan(first);
        assertThat(next("line")).isGreaterThan(values[24]);
    }

    @Test
    void unknownTagIs404() throws Exception {
        expectProblem(get("/v1/segments/missing/next"), 404, "no segment tag 'missing'");
        expectProblem(get("/v1/segments/missing").param("count", "3"), 404, "create it first");
    }

    @Test
    void creatingAnExistingTagIs409AndKeepsItsIds() throws Exception {
        create("twice", 10);
        next("twice");
        expectProblem(post("/v1/segments").contentType(MediaType.APPLICATION_JSON)
            .content("{\"tag\":\"twice\",\"step\":5}"), 409, "exists already");
        assertThat(next("twice")).isEqualTo(2);
    }

    @Test
    void badInputIs400AndChangesNothing() throws Exception {
        expectProblem(json("{\"tag\":\"no spaces\",\"step\":10}"), 400, "tag must be");
        expectProblem(json("{\"tag\":\"" + "x".repeat(129) + "\",\"step\":10}"), 400, "tag must be");
        expectProblem(json("{\"tag\":\"ok\",\"step\":0}"), 400, "step must be between 1 and 1000000");
        expectProblem(json("{\"tag\":\"ok\",\"step\":1000001}"), 400, "step must be between 1");
        expectProblem(json("{\"tag\":\"ok\"}"), 400, "tag and step are required");
        expectProblem(json("{\"step\":10}"), 400, "tag and step are required");
        mvc.perform(json("{\"tag\":\"ok\",\"step\":\"ten\"}")).andExpect(status().isBadRequest())
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(json("not json")).andExpect(status().isBadRequest())
            .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        expectProblem(get("/v1/segments/ok/next"), 404, "no segment tag 'ok'");

        create("counted", 10);
        expectProblem(get("/v1/segments/counted").param("count", "0"), 400, "count must be between 1 and 10000");
        expectProblem(get("/v1/segments/counted").param("count", "10001"), 400, "count must be between 1 and 10000");
        expectProblem(get("/v1/segments/counted").param("count", "many"), 400, "count must be an integer");
        expectProblem(get("/v1/segments/counted"), 400, "count is required");
        expectProblem(get("/v1/segments/bad%20tag/next"), 400, "tag must be");
        assertThat(next("counted")).as("no id was spent on the refused requests").isEqualTo(1);
    }

    private static RequestBuilder json(String body) {
        return post("/v1/segments").contentType(MediaType.APPLICATION_JSON).content(body);
    }
}
