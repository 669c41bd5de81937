package io.flotilla.raft.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractJsonTests {

    record Branch(long branchId, Status status) {
    }

    record Transaction(String xid, List<Branch> branches) {
    }

    enum Status { REGISTERED }

    @Test
    void anAnswerThatMatchesTheContractBinds() {
        Transaction transaction = ContractJson.read(
                bytes("{\"xid\":\"x\",\"branches\":[{\"branchId\":7,\"status\":\"REGISTERED\"}]}"), Transaction.class,
                "answer");

        assertThat(transaction).isEqualTo(new Transaction("x", List.of(new Branch(7, Status.REGISTERED))));
    }

    @Test
    void aMissingFieldIsNamed() {
        assertThatThrownBy(() -> ContractJson.read(bytes("{\"xid\":\"x\",\"branches\":[{\"status\":\"REGISTERED\"}]}"),
                Transaction.class, "the answer to status"))
            .isInstanceOfSatisfying(ContractViolationException.class,
                    ex -> assertThat(ex.field()).isEqualTo("branches[0].branchId"))
            .hasMessageContaining("the answer to status does not match the contract")
            .hasMessageContaining("branchId");
    }

    @Test
    void anUnknownFieldIsNamed() {
        assertThatThrownBy(() -> ContractJson.read(bytes("{\"xid\":\"x\",\"branches\":[],\"services\":[]}"),
                Transaction.class, "answer"))
            .isInstanceOfSatisfying(ContractViolationException.class,
                    ex -> assertThat(ex.field()).isEqualTo("services"));
    }

    @Test
    void aStringWhereANumberBelongsIsRefused() {
        assertThatThrownBy(() -> ContractJson.read(
                bytes("{\"xid\":\"x\",\"branches\":[{\"branchId\":\"7\",\"status\":\"REGISTERED\"}]}"),
                Transaction.class, "answer"))
            .isInstanceOfSatisfying(ContractViolationException.class,
                    ex -> assertThat(ex.field()).isEqualTo("branches[0].branchId"));
    }

    @Test
    void anUnknownEnumConstantIsNamed() {
        assertThatThrownBy(() -> ContractJson.read(
                bytes("{\"xid\":\"x\",\"branches\":[{\"branchId\":7,\"status\":\"LOST\"}]}"), Transaction.class,
                "answer"))
            .isInstanceOfSatisfying(ContractViolationException.class,
                    ex -> assertThat(ex.field()).isEqualTo("branches[0].status"));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
