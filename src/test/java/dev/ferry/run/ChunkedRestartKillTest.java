package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 around the restart of a chunked one-pass table: its types come from a sample, chunks
 * commit under them, and a value in its last chunk does not fit, so the load removes what it
 * committed and loads the table again under the full profile's types. Killed before the stray is
 * found (chunks committed under the sampled types), just after the removal, or while the table
 * loads again, the re-run resumes and the target ends exactly as a run that never stopped (and
 * profiled every value first) leaves it: types, rows, fixups, rejects, checkpoints, verdicts.
 */
class ChunkedRestartKillTest {
  @TempDir Path tmp;

  private static final int ROWS = 50_000;

  /** Sampled: rowids 1-100 and 20 rowids ending at each fifth of the table (49,981-50,000 last). */
  private static final String SAMPLE = "sample:1000,100,5,20";

  @Test
  void killedBeforeDuringOrAfterTheRestartTheResumedRunEndsAsOneThatNeverStopped()
      throws Exception {
    Path db = source();
    TargetUrl oracle = TestPostgres.newDatabase();
    Ferry.Result whole = Ferry.run(args(db, oracle, "full", "-q").toArray());
    assertThat(whole.exitCode()).as(whole.all()).isEqualTo(3); // a value was repaired
    List<List<List<String>>> expected = outcome(oracle);

    String[][] kills = {
      {"chunk 3 committed"}, // sampled types, chunks committed, the stray not reached yet
      {"removed what this run had committed"}, // dropped, not loaded again yet
      {"removed what this run had committed", "chunk 2 committed"} // loading again
    };
    for (String[] at : kills) {
      TargetUrl url = TestPostgres.newDatabase();
      String seen = killAt(db, url, at);
      assertThat(seen).as("killed at %s", String.join(" then ", at)).isNotNull();
      if (at.length == 1 && at[0].startsWith("chunk")) {
        assertThat(
                count(
                    url,
                    "SELECT count(*) FROM information_schema.columns WHERE table_name = 't'"
                        + " AND column_name = 'n' AND data_type IN ('integer', 'bigint')"))
            .as(
                "killed while t held chunks under the sampled types: %s %s",
                rows(
                    url,
                    "SELECT column_name, data_type FROM information_schema.columns"
                        + " WHERE table_name = 't'"),
                rows(url, "SELECT chunk, loading FROM ferry.checkpoints"))
            .isOne();
      }
      Ferry.Result resumed = Ferry.run(args(db, url, SAMPLE, "-q").toArray());
      assertThat(resumed.exitCode()).as(resumed.all()).isEqualTo(3);
      assertThat(outcome(url)).as("killed at %s", String.join(" then ", at)).isEqualTo(expected);
      assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
    }
  }

  /**
   * Table t: an integer column whose one text (rowid 49,500, in the last chunk) is not sampled, a
   * text column with a NUL in the sample (a fixup the sampled plan already makes), a JSON column.
   */
  private Path source() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("k.db"),
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, j TEXT);\n"
                + "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < "
                + ROWS
                + ") INSERT INTO t SELECT i, i * 3,"
                + " CASE i WHEN 50 THEN 'a' || char(0) || 'b' ELSE 'text of row ' || i END,"
                + " json_object('i', i, 'tags', json_array('x', i % 7)) FROM r;\n"
                + "UPDATE t SET n = 'high' WHERE id = 49500;");
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT typeof(n) FROM t WHERE id = 49500")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("text");
    }
    return db;
  }

  private List<Object> args(Path db, TargetUrl url, String profile, String... extra) {
    List<Object> out =
        new ArrayList<>(
            List.of(
                "migrate",
                db.toString(),
                "--target",
                url.display(),
                "--backup-dir",
                tmp.resolve("backups").toString(),
                "--chunk-rows",
                "5000",
                "--profile",
                profile));
    out.addAll(List.of(extra));
    return out;
  }

  /**
   * Runs the sampled migration in a JVM of its own, logging at debug, and kills it at the first log
   * line containing the last of {@code lines}, each after the one before; returns that line, or
   * null when the run ended first.
   */
  private String killAt(Path db, TargetUrl url, String... lines) throws Exception {
    List<String> cmd =
        Ferry.inOwnJvm(args(db, url, SAMPLE).stream().map(String::valueOf).toArray());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("FERRY_LOG", "debug");
    Process p = pb.start();
    int next = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.contains(lines[next]) && ++next == lines.length) {
          p.destroyForcibly().waitFor();
          return line;
        }
      }
    }
    p.waitFor();
    return null;
  }

  /** What the migration leaves behind, run ids and timings aside. */
  private static List<List<List<String>>> outcome(TargetUrl url) throws Exception {
    List<List<List<String>>> out = new ArrayList<>();
    for (String sql :
        List.of(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                + " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            "SELECT count(*), md5(string_agg(t::text, '|' ORDER BY id)) FROM public.t",
            "SELECT source_table, row_key::text, column_name, original_base64, loaded_value, reason"
                + " FROM ferry.fixups ORDER BY 1, 2, 3",
            "SELECT source_table, row_key::text, reason FROM ferry.rejects ORDER BY 1, 2",
            "SELECT source_table, chunk, upto_rowid, last, rows_read, rows_written, bytes,"
                + " sum_rows, sum_value, fixed, set_aside, loading FROM ferry.checkpoints"
                + " ORDER BY 1, 2",
            "SELECT source_table, target_table, rows_read, rows_written, rows_in_target,"
                + " rows_fixed, rows_set_aside, bytes, verdict, notes::text"
                + " FROM ferry.table_results ORDER BY 1",
            "SELECT kind, object_name, replaced FROM ferry.objects ORDER BY 1, 2",
            "SELECT state, exit_code FROM ferry.runs")) {
      out.add(rows(url, sql));
    }
    return out;
  }

  private static List<List<String>> rows(TargetUrl url, String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
