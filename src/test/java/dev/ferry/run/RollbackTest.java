package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ferry rollback removes exactly what a run created, and refuses when that would touch anything
 * else.
 */
class RollbackTest {
  private static final Pattern RUN = Pattern.compile("Run ([0-9a-f-]{36})");

  @TempDir Path tmp;

  private Path db() {
    Path db = tmp.resolve("t.db");
    if (!java.nio.file.Files.exists(db)) {
      TwitterExample.write(db, 300, 5);
    }
    return db;
  }

  private static void sql(TargetUrl url, String... statements) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /**
   * Every schema and relation outside PostgreSQL's own and ferry's: what a rollback must restore.
   */
  private static List<String> catalog(TargetUrl url) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT n.nspname || '.' || coalesce(c.relname, '') || ':' || coalesce(c.relkind::text, 'schema')"
                    + " FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid"
                    + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry') AND n.nspname NOT LIKE 'pg_toast%'"
                    + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String migrate(Path db, TargetUrl url, String... extra) {
    List<Object> args = new ArrayList<>(List.of("migrate", db, "--target", url.display()));
    args.addAll(List.of((Object[]) extra));
    Ferry.Result r = Ferry.run(args.toArray());
    assertThat(r.exitCode()).as(r.all()).isZero();
    Matcher m = RUN.matcher(r.out());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void removesExactlyTheRunsObjects() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    sql(
        url,
        "CREATE SCHEMA other",
        "CREATE TABLE other.users (id int)",
        "CREATE TABLE public.keep_me (x int)",
        "INSERT INTO public.keep_me VALUES (1)");
    List<String> before = catalog(url);
    String inNewSchema = migrate(db(), url, "--schema", "app");
    String inPublic = migrate(db(), url);
    assertThat(catalog(url)).hasSizeGreaterThan(before.size() + 20);

    Ferry.Result runs = Ferry.run("runs", "--target", url.display());
    assertThat(runs.exitCode()).isZero();
    assertThat(runs.out()).contains(inNewSchema).contains(inPublic).contains("succeeded");

    Ferry.Result a = Ferry.run("rollback", inPublic, "--target", url.display());
    assertThat(a.exitCode()).as(a.all()).isZero();
    assertThat(a.out()).contains("dropped 10 tables and 0 views");
    Ferry.Result b = Ferry.run("rollback", inNewSchema, "--target", url.display());
    assertThat(b.exitCode()).as(b.all()).isZero();
    assertThat(catalog(url)).isEqualTo(before);
    assertThat(count(url, "SELECT count(*) FROM public.keep_me")).isOne();
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'rolled_back'"))
        .isEqualTo(2);
    assertThat(Ferry.run("rollback", inNewSchema, "--target", url.display()).out())
        .contains("already rolled back");
  }

  @Test
  void refusesWhenSomethingElseDependsOnItsObjects() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    String run = migrate(db(), url);
    sql(url, "CREATE VIEW my_report AS SELECT count(*) FROM tweets");
    List<String> before = catalog(url);
    Ferry.Result r = Ferry.run("rollback", run, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("cannot be rolled back, nothing was changed")
        .contains("view on my_report");
    assertThat(catalog(url)).isEqualTo(before);
  }

  @Test
  void refusesWhenALaterRunLoadedIntoItsTables() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    Path db = tmp.resolve("small.db");
    dev.ferry.testing.Sqlite.create(db, "CREATE TABLE t (v TEXT);\nINSERT INTO t VALUES ('a')");
    String first = migrate(db, url);
    String second = migrate(db, url, "--if-exists", "append");
    Ferry.Result r = Ferry.run("rollback", first, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("later run " + second + " loaded into public.t");
    assertThat(Ferry.run("rollback", second, "--target", url.display()).exitCode()).isZero();
    assertThat(Ferry.run("rollback", first, "--target", url.display()).exitCode()).isZero();
    assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE tablename = 't'")).isZero();
  }

  @Test
  void unknownRunsAreExit1() {
    TargetUrl url = TestPostgres.newDatabase();
    migrate(db(), url);
    Ferry.Result r =
        Ferry.run("rollback", "00000000-0000-0000-0000-000000000000", "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("no run 00000000-0000-0000-0000-000000000000")
        .contains("ferry runs");
    assertThat(Ferry.run("rollback", "not-a-run", "--target", url.display()).err())
        .contains("is not a run id");
  }
}
