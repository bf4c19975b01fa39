package dev.ferry.scenarios;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A schema as PostgreSQL's catalog describes it, one fact per line, sorted: what golden scenarios
 * compare. Uses PostgreSQL's own deparsers (format_type, pg_get_constraintdef, pg_get_indexdef).
 */
final class CatalogDump {
  private CatalogDump() {}

  static String of(TargetUrl url, String schema) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = TestPostgres.connect(url)) {
      for (String[] table :
          rows(
              c,
              "SELECT c.oid::text, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                  + " WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.relname",
              schema)) {
        String oid = table[0];
        out.append("table ").append(table[1]).append('\n');
        for (String[] col :
            rows(
                c,
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                    + " CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,"
                    + " CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END,"
                    + " CASE WHEN a.attgenerated = 's' THEN ' generated ' || pg_get_expr(d.adbin, d.adrelid)"
                    + "      WHEN d.adbin IS NOT NULL THEN ' default ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END"
                    + " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                oid)) {
          out.append("  column ")
              .append(col[0])
              .append(' ')
              .append(col[1])
              .append(col[2])
              .append(col[3])
              .append(col[4])
              .append('\n');
        }
        for (String[] con :
            rows(
                c,
                "SELECT conname, pg_get_constraintdef(oid), CASE WHEN convalidated THEN '' ELSE ' (not valid)' END"
                    + " FROM pg_constraint WHERE conrelid = ?::oid ORDER BY conname",
                oid)) {
          out.append("  constraint ")
              .append(con[0])
              .append(' ')
              .append(con[1])
              .append(con[2])
              .append('\n');
        }
        for (String[] idx :
            rows(
                c,
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = ?::oid ORDER BY 1",
                oid)) {
          out.append("  ").append(idx[0].replace(" " + schema + ".", " ")).append('\n');
        }
        for (String[] seq :
            rows(
                c,
                "SELECT pg_get_serial_sequence(quote_ident(?) || '.' || quote_ident(?), a.attname)"
                    + " FROM pg_attribute a WHERE a.attrelid = ?::oid AND a.attidentity <> ''",
                schema,
                table[1],
                oid)) {
          for (String[] next : rows(c, "SELECT last_value::text, is_called::text FROM " + seq[0])) {
            out.append("  identity next ")
                .append(next[1].equals("true") ? "after " : "")
                .append(next[0])
                .append('\n');
          }
        }
      }
      for (String[] view :
          rows(
              c,
              "SELECT viewname, regexp_replace(definition, '\\s+', ' ', 'g') FROM pg_views WHERE schemaname = ? ORDER BY 1",
              schema)) {
        out.append("view ").append(view[0]).append(':').append(view[1]).append('\n');
      }
    }
    return out.toString();
  }

  private static List<String[]> rows(Connection c, String sql, String... args) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          String[] row = new String[n];
          for (int i = 0; i < n; i++) {
            row[i] = rs.getString(i + 1);
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}
