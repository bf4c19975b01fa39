package dev.ferry.scenarios;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.sql.SqlText;
import dev.ferry.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of target tables as expected-rows.txt writes them, by hand:
 *
 * <pre>
 * # a comment
 * table tweets                          (every column, in the table's order)
 * table app.translations: id, body      (these columns; schema public when omitted)
 * t1	u1	first tweet                    (a row: each column as (col)::text prints it in UTC,
 *                                         NULL as NULL, tab-separated; \t \n \\ escaped)
 * </pre>
 *
 * Rows are ordered by the first column, then the next ones, each in its own type's order.
 */
final class TableRows {
  private TableRows() {}

  /** Table header ("app.t: a, b" or "t") → its expected row lines, in file order. */
  static Map<String, List<String>> parse(Path file) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("table ")) {
        current = new ArrayList<>();
        out.put(line.substring("table ".length()).strip(), current);
      } else if (current == null) {
        throw new IllegalArgumentException(file + ":" + n + ": a row before any 'table' line");
      } else {
        current.add(line);
      }
    }
    return out;
  }

  /** The table's name ("app.t") of a header. */
  static String table(String header) {
    int colon = header.indexOf(':');
    return (colon < 0 ? header : header.substring(0, colon)).strip();
  }

  /** The expected rows, each table's as written. */
  static Map<String, String> expected(Map<String, List<String>> parsed) {
    Map<String, String> out = new LinkedHashMap<>();
    parsed.forEach((h, rows) -> out.put(h, rows.isEmpty() ? "" : String.join("\n", rows) + "\n"));
    return out;
  }

  /** The rows each header's table holds now, as expected-rows.txt writes them. */
  static Map<String, String> dump(TargetUrl url, Map<String, List<String>> headers)
      throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      for (String header : headers.keySet()) {
        List<String> columns = columns(c, header);
        List<String> texts = new ArrayList<>();
        for (String column : columns) {
          texts.add("(t." + SqlText.ident(column) + ")::text");
        }
        StringBuilder rows = new StringBuilder();
        try (ResultSet rs =
            st.executeQuery(
                "SELECT "
                    + String.join(", ", texts)
                    + " FROM "
                    + OwnSchemaScenario.qualified(table(header))
                    + " t ORDER BY "
                    + orderBy(columns))) {
          while (rs.next()) {
            for (int i = 1; i <= columns.size(); i++) {
              String v = rs.getString(i);
              rows.append(i > 1 ? "\t" : "").append(v == null ? "NULL" : escape(v));
            }
            rows.append('\n');
          }
        }
        out.put(header, rows.toString());
      }
    }
    return out;
  }

  /** "table HEADER" and its rows, for every table: what a diff is shown of. */
  static String format(Map<String, String> rows) {
    StringBuilder out = new StringBuilder();
    rows.forEach((h, r) -> out.append("table ").append(h).append('\n').append(r));
    return out.toString();
  }

  /** The first column of a query's rows. */
  static List<String> column(TargetUrl url, String sql) throws SQLException {
    try (Connection c = TestPostgres.connect(url)) {
      return OwnSchemaScenario.single(c, sql);
    }
  }

  private static String orderBy(List<String> columns) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      out.add("t." + SqlText.ident(c)); // in the column's own type, not as text
    }
    return String.join(", ", out);
  }

  private static List<String> columns(Connection c, String header) throws SQLException {
    int colon = header.indexOf(':');
    if (colon >= 0) {
      List<String> out = new ArrayList<>();
      for (String col : header.substring(colon + 1).split(",", -1)) {
        out.add(col.strip());
      }
      return out;
    }
    return OwnSchemaScenario.single(
        c,
        "SELECT attname FROM pg_attribute WHERE attrelid = "
            + SqlText.literal(OwnSchemaScenario.qualified(table(header)))
            + "::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }
}
