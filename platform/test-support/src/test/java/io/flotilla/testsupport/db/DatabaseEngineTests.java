package io.flotilla.testsupport.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DatabaseEngineTests {

    @Test
    void replacesTheDatabaseAndKeepsParameters() {
        assertThat(DatabaseEngine.replaceDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?ssl=false", "t1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/t1?ssl=false");
    }

    @Test
    void addsADatabaseWhenTheUrlHasNone() {
        assertThat(DatabaseEngine.replaceDatabase("jdbc:mariadb://localhost:3306", "t2"))
                .isEqualTo("jdbc:mariadb://localhost:3306/t2");
        assertThat(DatabaseEngine.replaceDatabase("jdbc:mariadb://localhost:3306?a=b", "t2"))
                .isEqualTo("jdbc:mariadb://localhost:3306/t2?a=b");
    }

    @Test
    void rejectsAUrlWithoutAnAuthority() {
        assertThatIllegalArgumentException().isThrownBy(() -> DatabaseEngine.replaceDatabase("jdbc:h2:mem:x", "t"));
    }
}
