package dev.ferry.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Any string survives SqlText: as an identifier and as a literal, PostgreSQL and SQLite read back
 * exactly the string, and as a COPY text field PostgreSQL stores exactly it. The strings are
 * generated around what breaks quoting (quotes, backslashes, tabs, newlines, dollar signs,
 * non-ASCII and astral characters); the servers are the oracles.
 */
class SqlTextPropertiesTest {
  private static Connection postgres;
  private static Connection sqlite;

  private static synchronized Connection postgres() throws SQLException {
    if (postgres == null) {
      TargetUrl url = TestPostgres.newDatabase();
      postgres = TestPostgres.connect(url);
      try (Statement st = postgres.createStatement()) {
        st.execute("CREATE TABLE copied (v text)");
      }
    }
    return postgres;
  }

  private static synchronized Connection sqlite() throws SQLException {
    if (sqlite == null) {
      sqlite = DriverManager.getConnection("jdbc:sqlite::memory:");
    }
    return sqlite;
  }

  @AfterContainer
  static void close() throws SQLException {
    if (postgres != null) {
      postgres.close();
    }
    if (sqlite != null) {
      sqlite.close();
    }
  }

  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> tricky =
        Arbitraries.of(
                "'", "\"", "\\", "\t", "\n", "\r", "$$", "$x$", " ", "é", "😀", "--", "/*", ";")
            .list()
            .ofMaxSize(8)
            .map(l -> String.join("", l));
    Arbitrary<String> any =
        Arbitraries.strings().withCharRange((char) 1, (char) 0xD7FF).ofMaxLength(20);
    return Arbitraries.oneOf(tricky, any, Arbitraries.strings().ascii().ofMaxLength(20))
        .filter(s -> s.indexOf('\0') < 0);
  }

  @Provide
  Arbitrary<String> names() {
    // PostgreSQL names are non-empty and at most 63 bytes (longer ones are cut: plan.Names' job)
    return text().filter(s -> !s.isEmpty() && s.getBytes(StandardCharsets.UTF_8).length <= 63);
  }

  @Property(tries = 300)
  void aLiteralReadsBackAsTheString(@ForAll("text") String s) throws SQLException {
    assertThat(select(postgres(), "SELECT " + SqlText.literal(s))).isEqualTo(s);
    assertThat(select(sqlite(), "SELECT " + SqlText.literal(s))).isEqualTo(s);
  }

  @Property(tries = 200)
  void anIdentifierNamesExactlyTheString(@ForAll("names") String name) throws SQLException {
    // a column alias is an identifier the server hands back as it understood it
    String sql = "SELECT 1 AS " + SqlText.ident(name);
    for (Connection c : new Connection[] {postgres(), sqlite()}) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo(name);
      }
    }
  }

  @Property(tries = 200)
  void aQualifiedNameReachesTheTableNamed(
      @ForAll("names") String schema, @ForAll("names") String table) throws SQLException {
    Connection c = postgres();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + SqlText.ident(schema));
      st.execute("CREATE TABLE " + SqlText.qualified(schema, table) + " (x int)");
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*) FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace"
                  + " WHERE n.nspname = ? AND r.relname = ?")) {
        ps.setString(1, schema);
        ps.setString(2, table);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isOne();
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Property(tries = 200)
  void aCopyTextFieldIsStoredAsTheString(@ForAll("text") String s) throws Exception {
    Connection c = postgres();
    c.setAutoCommit(false);
    try {
      String row = SqlText.copyText(s) + "\n" + SqlText.copyText(null) + "\n";
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY copied FROM STDIN", new StringReader(row));
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT v FROM copied ORDER BY v NULLS LAST")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(s);
        rs.next();
        assertThat(rs.getString(1)).isNull();
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @Test
  void aNulCannotBeWrittenAsALiteral() {
    assertThatThrownBy(() -> SqlText.literal("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  private static String select(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
