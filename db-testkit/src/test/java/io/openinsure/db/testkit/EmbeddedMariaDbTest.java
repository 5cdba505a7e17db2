package io.openinsure.db.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

    @Test
    void startsOnceAndAnswersAsRootWithoutPassword() throws Exception {
        EmbeddedMariaDb db = EmbeddedMariaDb.shared();
        assertThat(EmbeddedMariaDb.shared()).isSameAs(db);
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + db.port() + "/", "root", "");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select @@version, @@have_ssl")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).containsIgnoringCase("mariadb");
        }
    }
}
