package dev.ferry.map;

import static dev.ferry.map.IntoYourOwnSchemaTest.sql;
import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --if-exists append} into a table the user made with other types than Ferry plans
 * (varchar(n) too short for some values, integer where values need bigint, json for jsonb, an extra
 * column with a default) loads as an explicit {@code map:} entry into that table would: the same
 * rows in, the same rows set aside with the same reasons, verified; never an error from inside a
 * COPY. A column the table lacks, or an extra NOT NULL column nothing fills, stops the run at start
 * naming it and the fix.
 */
class AppendIntoDifferingTypesTest {
  @TempDir Path tmp;

  private static final String USER_TABLE =
      "CREATE SCHEMA app;"
          + "CREATE TABLE app.notes (id integer PRIMARY KEY, title varchar(%d), n integer,"
          + " doc json, added timestamptz NOT NULL DEFAULT now()%s)";

  private Path source(long seed) {
    Random r = new Random(seed);
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, n INTEGER, doc TEXT);\n");
    for (int id = 1; id <= 120; id++) {
      String title = "t".repeat(1 + r.nextInt(12));
      long n = r.nextInt(15) == 0 ? 3_000_000_000L + id : r.nextInt(1000) - 500;
      s.append(
          String.format(
              "INSERT INTO notes VALUES (%d, '%s', %d, '{\"k\": %d, \"a\": [1, 2]}');%n",
              id, title, n, id));
    }
    return Sqlite.create(tmp.resolve("notes" + seed + ".db"), s.toString());
  }

  private static List<String> rows(TargetUrl url, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void appendingIntoOtherTypesGivesWhatAnExplicitMapGives() throws Exception {
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(config, "map:\n  notes: {into: app.notes}\n");
    for (long seed = 1; seed <= 2; seed++) {
      Path db = source(seed);
      int width = 6 + (int) seed;
      TargetUrl implicit = TestPostgres.newDatabase();
      TargetUrl explicit = TestPostgres.newDatabase();
      sql(implicit, String.format(USER_TABLE, width, ""));
      sql(explicit, String.format(USER_TABLE, width, ""));
      Ferry.Result a =
          Ferry.run(
              "migrate",
              db,
              "--target",
              implicit.display(),
              "--schema",
              "app",
              "--if-exists",
              "append");
      Ferry.Result m =
          Ferry.run(
              "migrate", db, "--target", explicit.display(), "--schema", "app", "--config", config);
      assertThat(a.exitCode()).as(a.all()).isEqualTo(3).isEqualTo(m.exitCode());
      assertThat(a.all())
          .contains("Appending notes into the existing app.notes as a map: entry would")
          .contains("title: character varying(" + width + ") where Ferry plans text")
          .contains("doc: json where Ferry plans jsonb")
          .doesNotContain("incorrect binary data format")
          .doesNotContain("MISMATCH");
      String table = "SELECT concat_ws('|', id, title, n, doc) FROM app.notes ORDER BY id";
      assertThat(rows(implicit, table)).isNotEmpty().isEqualTo(rows(explicit, table));
      String rejects =
          "SELECT row_key::text || ' ' || reason || ' ' || original_row::text FROM ferry.rejects"
              + " ORDER BY 1";
      assertThat(rows(implicit, rejects)).isNotEmpty().isEqualTo(rows(explicit, rejects));
      assertThat(count(implicit, "SELECT count(*) FROM ferry.mapped_rows"))
          .as("its rows are recorded by key: a rollback removes exactly them")
          .isEqualTo(count(implicit, "SELECT count(*) FROM app.notes"));
      // ferry verify afterwards checks it as the map it was loaded as, not as Ferry's own table
      Ferry.Result v = Ferry.run("verify", db, "--target", implicit.display(), "--schema", "app");
      assertThat(v.exitCode()).as(v.all()).isZero();
      assertThat(v.all()).contains("VERIFIED (rows)").contains("implicit map: entry");
    }
  }

  @Test
  void aMissingColumnOrAnUnfilledNotNullColumnStopsTheRunAtStart() throws Exception {
    Path db = source(3);
    TargetUrl extra = TestPostgres.newDatabase();
    sql(extra, String.format(USER_TABLE, 50, ", owner text NOT NULL"));
    Ferry.Result r =
        Ferry.run(
            "migrate", db, "--target", extra.display(), "--schema", "app", "--if-exists", "append");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.all())
        .contains("--if-exists append of notes into app.notes")
        .contains("NOT NULL without a default that nothing fills: owner")
        .contains("set: {owner: VALUE}");
    assertThat(count(extra, "SELECT count(*) FROM app.notes")).isZero();

    TargetUrl missing = TestPostgres.newDatabase();
    sql(missing, "CREATE SCHEMA app; CREATE TABLE app.notes (id bigint PRIMARY KEY, title text)");
    Ferry.Result m =
        Ferry.run(
            "migrate",
            db,
            "--target",
            missing.display(),
            "--schema",
            "app",
            "--if-exists",
            "append");
    assertThat(m.exitCode()).as(m.all()).isEqualTo(1);
    assertThat(m.all())
        .contains("n: not a column of app.notes")
        .contains("source columns that go nowhere")
        .contains("drop: [n, doc]");
    assertThat(count(missing, "SELECT count(*) FROM app.notes")).isZero();
  }
}
