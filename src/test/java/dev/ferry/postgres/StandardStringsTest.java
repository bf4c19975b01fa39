package dev.ferry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.load.PostgresTarget;
import dev.ferry.sql.SqlText;
import dev.ferry.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Ferry builds literals as standard strings ({@link SqlText#literal}). A database whose
 * standard_conforming_strings is off would read a backslash as an escape, and a value such as
 * {@code x\'); DROP ...} could end the literal early: every pool Ferry opens sets it on first.
 */
class StandardStringsTest {
  static final String[] HOSTILE = {"a\\", "x\\'); SELECT 1; --", "\\\\'", "tab\\tnewline\\n"};

  @Test
  void literalsMeanTheirTextEvenWhereTheDatabaseTurnedStandardStringsOff() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "ALTER DATABASE "
              + SqlText.ident(url.database())
              + " SET standard_conforming_strings = off");
    }
    try (HikariDataSource pool = Pool.on(url, "test").size(1, 0).open()) {
      assertRoundTrip(pool);
    }
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      assertRoundTrip(target.dataSource());
    }
  }

  private static void assertRoundTrip(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String v : HOSTILE) {
        try (ResultSet rs = st.executeQuery("SELECT " + SqlText.literal(v))) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(v);
        }
      }
    }
  }
}
