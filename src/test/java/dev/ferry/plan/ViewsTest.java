package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views over every type Ferry translates, created in a schema that is not on the search_path, read
 * the same rows in PostgreSQL as in SQLite, including where a column Ferry made boolean is used as
 * SQLite's 0/1.
 */
class ViewsTest {
  @TempDir Path tmp;

  private static final Map<String, String> VIEWS = new LinkedHashMap<>();

  static {
    VIEWS.put("v_all", "SELECT * FROM items");
    VIEWS.put("v_eq", "SELECT id, is_active FROM items WHERE is_active = 1");
    VIEWS.put("v_eq2", "SELECT id FROM items WHERE is_active == 0 OR archived <> 0");
    VIEWS.put("v_in", "SELECT id FROM items WHERE is_active IN (0, 1) AND archived NOT IN (1)");
    VIEWS.put("v_bare", "SELECT id FROM items WHERE is_active AND NOT archived");
    VIEWS.put("v_sum", "SELECT count(*) AS n, sum(is_active) AS active FROM items");
    VIEWS.put(
        "v_expr", "SELECT id, is_active + archived AS flags, 1 = is_active AS one FROM items");
    VIEWS.put(
        "v_case",
        "SELECT id, CASE WHEN is_active THEN 'y' ELSE 'n' END AS yn, coalesce(archived, 0) AS a"
            + " FROM items");
    VIEWS.put(
        "v_join",
        "SELECT i.id, o.name FROM items i JOIN owners o ON o.id = i.owner_id"
            + " WHERE i.is_active = 1 AND o.is_admin = 0");
    VIEWS.put(
        "v_list",
        "SELECT items.id, owners.name FROM items, owners WHERE owners.id = items.owner_id");
    VIEWS.put(
        "v_types",
        "SELECT id FROM items WHERE created_at > '2024-01-01' AND price > 1.5"
            + " AND day = '2024-03-01' AND tags IS NOT NULL AND qty >= 0 AND blob IS NOT NULL");
    VIEWS.put("v_over_view", "SELECT * FROM v_eq WHERE is_active");
  }

  @Test
  void viewsOverEveryTranslatedTypeWorkInANonPublicSchemaAndReadTheSameRows() throws Exception {
    StringBuilder script =
        new StringBuilder(
            """
            CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT, is_admin BOOLEAN);
            INSERT INTO owners VALUES (1, 'ann', 0);
            INSERT INTO owners VALUES (2, 'bob', 1);
            CREATE TABLE items (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners(id),
              is_active INTEGER, archived BOOLEAN, created_at TEXT, day DATE, price REAL,
              qty INTEGER, tags TEXT, blob BLOB);
            """);
    for (int i = 1; i <= 40; i++) {
      script.append(
          String.format(
              "INSERT INTO items VALUES (%d, %d, %d, %d, '2024-0%d-01T10:00:00Z', '2024-0%d-01',"
                  + " %s, %d, '{\"k\": %d}', x'0%d');%n",
              i,
              1 + i % 2,
              i % 3 == 0 ? 0 : 1,
              i % 5 == 0 ? 1 : 0,
              1 + i % 9,
              1 + i % 4,
              i / 7.0,
              i,
              i,
              i % 10));
    }
    for (Map.Entry<String, String> v : VIEWS.entrySet()) {
      script
          .append("CREATE VIEW ")
          .append(v.getKey())
          .append(" AS ")
          .append(v.getValue())
          .append(";\n");
    }
    Path db = Sqlite.create(tmp.resolve("views.db"), script.toString().trim());
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--schema", "app");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.all()).doesNotContain("not created");
    try (Connection pg = TestPostgres.connect(url);
        Connection lite = Sqlite.open(db)) {
      for (String view : VIEWS.keySet()) {
        assertThat(rows(pg, "SELECT * FROM app." + view))
            .as(view)
            .isEqualTo(rows(lite, "SELECT * FROM " + view));
      }
    }
  }

  /** Every row as text, booleans as SQLite's 0/1, sorted. */
  private static List<String> rows(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          String label = rs.getMetaData().getColumnLabel(i);
          String text =
              v == null
                  ? "NULL"
                  : List.of("created_at", "day", "tags", "blob").contains(label)
                      ? "(converted)"
                      : v instanceof Boolean b
                          ? (b ? "1" : "0")
                          : v instanceof Number num ? trimmed(num) : v.toString();
          row.append(label).append('=').append(text).append(' ');
        }
        out.add(row.toString());
      }
    }
    out.sort(null);
    return out;
  }

  private static String trimmed(Number n) {
    return new java.math.BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
  }
}
