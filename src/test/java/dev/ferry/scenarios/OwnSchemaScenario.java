package dev.ferry.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.sql.SqlText;
import dev.ferry.testing.Ferry;
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
 * A golden scenario into a schema the user designed (a folder with {@code target.sql}): the seed's
 * DDL, with the rows its user already had, is run on the empty target; then {@code ferry migrate}
 * with the folder's args (its ferry.yaml {@code map:}), {@code ferry verify} and {@code ferry
 * rollback}. Compared with two hand-written files:
 *
 * <ul>
 *   <li>{@code expected-rows.txt}: each mapped target table's rows after the run ({@link
 *       TableRows}), the user's rows among them;
 *   <li>{@code expected-notes.txt}: what the three commands reported ({@link #summary}): the exit
 *       code, each table's counts, verdict and notes (dropped columns among them), every row set
 *       aside and value repaired, per source table, then what verify and rollback said.
 * </ul>
 *
 * And, with no file to write: the run changed nothing of the user's tables' definitions, and the
 * rollback left each of them exactly as it was before the run (the user's rows survive, the run's
 * are gone).
 */
final class OwnSchemaScenario {
  private static final java.util.regex.Pattern RUN_ID =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private OwnSchemaScenario() {}

  static void run(Path dir, Path source, Path tmp) throws Exception {
    String name = dir.getFileName().toString();
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(Files.readString(dir.resolve("target.sql")));
    }
    Map<String, List<String>> expectedRows = TableRows.parse(dir.resolve("expected-rows.txt"));
    Map<String, String> rowsBefore = TableRows.dump(url, expectedRows);
    String catalogBefore = catalogOf(url, expectedRows.keySet());

    List<String> extra = args(dir);
    Path report = tmp.resolve(name + ".json");
    List<Object> migrate =
        new ArrayList<>(
            List.of("migrate", source, "--target", url.display(), "--quiet", "--report", report));
    migrate.addAll(extra);
    Ferry.Result run = Ferry.run(migrate.toArray());
    assertThat(report).as("the run's report (output: %s)", run.all()).exists();
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    StringBuilder actual = new StringBuilder(summary(json, run.exitCode(), url));

    String rowsAfter = TableRows.format(TableRows.dump(url, expectedRows));
    assertThat(rowsAfter)
        .as("rows of scenario %s's mapped tables after the run (output: %s)", name, run.all())
        .isEqualTo(TableRows.format(TableRows.expected(expectedRows)));
    assertThat(catalogOf(url, expectedRows.keySet()))
        .as("the run changes nothing of the user's table definitions")
        .isEqualTo(catalogBefore);

    List<Object> verify = new ArrayList<>(List.of("verify", source, "--target", url.display()));
    verify.addAll(withoutIfExists(extra));
    Ferry.Result verified = Ferry.run(verify.toArray());
    actual.append("verify: exit ").append(verified.exitCode()).append('\n');
    verdictLines(verified.out()).forEach(l -> actual.append("  ").append(l).append('\n'));

    Ferry.Result back =
        Ferry.run("rollback", json.get("runId").asText(), "--target", url.display());
    actual.append("rollback: exit ").append(back.exitCode()).append('\n');
    back.out()
        .lines()
        .filter(l -> l.contains("deleted") || l.contains("dropped") || l.contains("cannot"))
        .forEach(
            l ->
                actual
                    .append("  ")
                    .append(RUN_ID.matcher(l.strip()).replaceAll("RUN-ID"))
                    .append('\n'));
    if (back.exitCode() == 0) {
      assertThat(TableRows.format(TableRows.dump(url, expectedRows)))
          .as("after rollback each mapped table holds exactly the rows it held before the run")
          .isEqualTo(TableRows.format(rowsBefore));
    }
    assertThat(actual.toString())
        .as(
            "what scenario %s reported (migrate: %s; verify: %s; rollback: %s)",
            name, run.all(), verified.all(), back.all())
        .isEqualTo(Files.readString(dir.resolve("expected-notes.txt")));
  }

  /**
   * What a run reported, one fact per line: the exit code, then per table (in report order) its
   * counts and verdict and its notes, the rows set aside and values repaired (from ferry.rejects
   * and ferry.fixups), then the run's own notes.
   */
  static String summary(JsonNode report, int exitCode, TargetUrl url) throws SQLException {
    StringBuilder out = new StringBuilder("exit code: " + exitCode + "\n");
    for (JsonNode t : report.get("tables")) {
      out.append(
          String.format(
              "table %s -> %s: read %d, written %d, in target %d, fixed %d, set aside %d, %s%n",
              t.get("source").asText(),
              t.get("target").asText(),
              t.get("rowsRead").asLong(),
              t.get("rowsWritten").asLong(),
              t.get("rowsInTarget").asLong(),
              t.get("rowsFixed").asLong(),
              t.get("rowsSetAside").asLong(),
              t.get("verdict").asText()));
      t.get("notes").forEach(n -> out.append("  - ").append(n.asText()).append('\n'));
    }
    for (String set : List.of("rejects", "fixups")) {
      String what = set.equals("rejects") ? "row_key::text || ': ' || reason" : fixupText();
      for (String line :
          TableRows.column(
              url,
              "SELECT source_table || ' ' || " + what + " FROM ferry." + set + " ORDER BY 1")) {
        out.append(set, 0, set.length() - 1).append(' ').append(line).append('\n');
      }
    }
    report.get("notes").forEach(n -> out.append("note: ").append(n.asText()).append('\n'));
    return out.toString();
  }

  private static String fixupText() {
    return "row_key::text || ' ' || column_name || ': ' || reason";
  }

  /** A report line: table, rows read, rows written, bytes, seconds, rows/s, verdict. */
  private static final java.util.regex.Pattern TABLE_LINE =
      java.util.regex.Pattern.compile(
          "^(\\S+)\\s+[\\d,]+\\s+[\\d,]+\\s+\\S+ \\S+\\s+[\\d.]+\\s+[\\d,]+\\s+([A-Z].*)$");

  /** The lines of a verify's output that say what it found (its verdicts and summary). */
  private static List<String> verdictLines(String out) {
    return out.lines()
        .map(String::strip)
        .map(l -> TABLE_LINE.matcher(l).replaceFirst("table $1: $2")) // without its timings
        .filter(
            l ->
                l.matches("^[A-Z][A-Z ]+(:|\\().*")
                    || l.startsWith("not re-checked")
                    || l.contains("MISMATCH")
                    || l.contains("VERIFIED"))
        .toList();
  }

  private static List<String> args(Path dir) throws IOException {
    Path extra = dir.resolve("args.txt");
    return Files.exists(extra) ? List.of(Files.readString(extra).trim().split("\\s+")) : List.of();
  }

  private static List<String> withoutIfExists(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--if-exists")) {
        i++;
      } else {
        out.add(args.get(i));
      }
    }
    return out;
  }

  /** The catalog facts of the given tables (sequence positions aside: a load moves them). */
  private static String catalogOf(TargetUrl url, java.util.Set<String> tables) throws SQLException {
    Map<String, StringBuilder> bySchema = new LinkedHashMap<>();
    for (String t : tables) {
      String schema = t.contains(".") ? t.substring(0, t.indexOf('.')) : "public";
      String table = t.substring(t.indexOf('.') + 1);
      StringBuilder b = new StringBuilder();
      boolean in = false;
      for (String line : CatalogDump.of(url, schema).lines().toList()) {
        if (line.startsWith("table ") || line.startsWith("view ")) {
          in = line.equals("table " + table);
        }
        if (in && !line.startsWith("  identity next")) {
          b.append(line).append('\n');
        }
      }
      bySchema.computeIfAbsent(schema, s -> new StringBuilder()).append(b);
    }
    return String.join("", bySchema.values());
  }

  /** Quoted schema.table of a name as expected-rows.txt writes it (public when omitted). */
  static String qualified(String table) {
    int dot = table.indexOf('.');
    return dot < 0
        ? SqlText.qualified("public", table)
        : SqlText.qualified(table.substring(0, dot), table.substring(dot + 1));
  }

  static List<String> single(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
