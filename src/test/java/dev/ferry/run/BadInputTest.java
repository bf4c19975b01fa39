package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear message naming what is wrong and the documented exit code. */
class BadInputTest {
  @TempDir Path tmp;

  private Path smallDb() {
    return Sqlite.create(
        tmp.resolve("small.db"),
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\nINSERT INTO t (v) VALUES ('a'), ('b')");
  }

  @Test
  void missingFileIsExit2NamingTheFile() {
    Ferry.Result r = Ferry.run("migrate", tmp.resolve("nope.db"), "--dry-run");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("nope.db").contains("no such file");
  }

  @Test
  void notASqliteFileIsExit2() throws Exception {
    Path f = tmp.resolve("notes.db");
    Files.writeString(f, "this is a text file, not a database\n".repeat(100));
    Ferry.Result r = Ferry.run("migrate", f, "--dry-run");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("notes.db").contains("not a SQLite database");
  }

  @Test
  void corruptFileIsExit2NamingTheTable() throws Exception {
    Path f = tmp.resolve("corrupt.db");
    StringBuilder script =
        new StringBuilder("CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);\n");
    for (int i = 0; i < 400; i++) {
      script.append("INSERT INTO big (v) VALUES ('").append("x".repeat(100)).append("');\n");
    }
    Sqlite.create(f, script.toString().replaceAll(";\n$", ""));
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(4096 + 100); // inside the table's pages, past the schema page
      byte[] junk = new byte[4096 * 3];
      java.util.Arrays.fill(junk, (byte) 0x5a);
      raf.write(junk);
    }
    Ferry.Result r = Ferry.run("migrate", f, "--dry-run");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    assertThat(r.err()).contains("corrupt.db").containsAnyOf("corrupt", "malformed");
  }

  @Test
  void lockedDatabaseIsExit2SayingSo() throws Exception {
    Path f = smallDb();
    try (Connection writer = Sqlite.open(f);
        Statement st = writer.createStatement()) {
      st.execute("BEGIN EXCLUSIVE");
      st.execute("INSERT INTO t (v) VALUES ('c')");
      Ferry.Result r = Ferry.run("migrate", f, "--dry-run");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertThat(r.err()).contains("small.db").contains("locked");
      st.execute("ROLLBACK");
    }
  }

  @Test
  void unreachableTargetIsExit2AndNeverShowsThePassword() {
    Ferry.Result r =
        Ferry.run(
            "migrate",
            smallDb(),
            "--target",
            "postgresql://app:hunter2@127.0.0.1:1/app",
            "--quiet");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("cannot connect to postgresql://app@127.0.0.1:1/app")
        .doesNotContain("hunter2");
  }

  @Test
  void wrongPasswordIsExit2AndNeverShowsThePassword() {
    TargetUrl db = TestPostgres.newDatabase();
    String url =
        "postgresql://"
            + TestPostgres.PASSWORD_USER
            + ":wrong-Pa55@127.0.0.1:"
            + TestPostgres.port()
            + "/"
            + db.database();
    Ferry.Result r = Ferry.run("migrate", smallDb(), "--target", url, "--quiet");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    assertThat(r.err()).contains("password authentication failed").doesNotContain("wrong-Pa55");
  }

  @Test
  void rightPasswordWorks() {
    TargetUrl db = TestPostgres.newDatabase();
    String url =
        "postgresql://"
            + TestPostgres.PASSWORD_USER
            + ":"
            + TestPostgres.PASSWORD
            + "@127.0.0.1:"
            + TestPostgres.port()
            + "/"
            + db.database();
    Ferry.Result r = Ferry.run("migrate", smallDb(), "--target", url, "--quiet");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.all()).doesNotContain(TestPostgres.PASSWORD);
  }

  @Test
  void existingTablesFailBeforeChangingAnything() throws Exception {
    TargetUrl db = TestPostgres.newDatabase();
    Path f = smallDb();
    assertThat(Ferry.run("migrate", f, "--target", db.display(), "--quiet").exitCode()).isZero();
    try (Connection c = TestPostgres.connect(db);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO t (v) VALUES ('kept')");
    }
    Ferry.Result r = Ferry.run("migrate", f, "--target", db.display(), "--quiet");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("already has t").contains("--if-exists");
    assertThat(count(db, "SELECT count(*) FROM t")).isEqualTo(3);
    assertThat(count(db, "SELECT count(*) FROM ferry.runs"))
        .as("the refused run is not recorded as a run")
        .isEqualTo(1);
  }

  @Test
  void ifExistsDropTruncateAppend() throws Exception {
    TargetUrl db = TestPostgres.newDatabase();
    Path f = smallDb();
    assertThat(Ferry.run("migrate", f, "--target", db.display(), "-q").exitCode()).isZero();
    Ferry.Result append =
        Ferry.run("migrate", f, "--target", db.display(), "-q", "--if-exists", "append");
    assertThat(append.exitCode())
        .as("appending the same keys again violates the primary key: load failed")
        .isEqualTo(5);
    assertThat(append.all()).contains("duplicate key");
    assertThat(count(db, "SELECT count(*) FROM t"))
        .as("the failed table load left nothing behind")
        .isEqualTo(2);
    assertThat(
            Ferry.run("migrate", f, "--target", db.display(), "-q", "--if-exists", "truncate")
                .exitCode())
        .isZero();
    assertThat(count(db, "SELECT count(*) FROM t")).isEqualTo(2);
    assertThat(
            Ferry.run("migrate", f, "--target", db.display(), "-q", "--if-exists", "drop")
                .exitCode())
        .isZero();
    assertThat(count(db, "SELECT count(*) FROM t")).isEqualTo(2);
  }

  @Test
  void rowsLostInTheTargetFailVerificationWithExit4() throws Exception {
    TargetUrl db = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id bigint, v text)");
      st.execute(
          "CREATE FUNCTION drop_b() RETURNS trigger LANGUAGE plpgsql AS"
              + " $$ BEGIN IF NEW.v = 'b' THEN RETURN NULL; END IF; RETURN NEW; END $$");
      st.execute(
          "CREATE TRIGGER lose_rows BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION drop_b()");
    }
    Ferry.Result r =
        Ferry.run("migrate", smallDb(), "--target", db.display(), "-q", "--if-exists", "append");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.out())
        .contains("MISMATCH")
        .contains("read 2, set aside 0, COPY stored 1")
        .contains("VERIFICATION FAILED")
        .doesNotContain("OK:");
    assertThat(
            count(
                db,
                "SELECT count(*) FROM ferry.runs WHERE state = 'verification_failed' AND exit_code = 4"))
        .isOne();
  }

  @Test
  void badOptionsAreExit1WithHowToFix() {
    Ferry.Result r = Ferry.run("migrate", smallDb(), "--if-exists", "replace");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("'replace' is not one of fail, drop, truncate, append");
    Ferry.Result jobs = Ferry.run("migrate", smallDb(), "--jobs", "0", "--dry-run");
    assertThat(jobs.exitCode()).isEqualTo(1);
    Ferry.Result schema = Ferry.run("migrate", smallDb(), "--schema", "bad-name", "--dry-run");
    assertThat(schema.exitCode()).isEqualTo(1);
    assertThat(schema.err()).contains("--schema 'bad-name'");
    Ferry.Result url = Ferry.run("migrate", smallDb(), "--target", "mysql://root:pw@localhost/x");
    assertThat(url.exitCode()).isEqualTo(1);
    assertThat(url.err()).contains("postgresql://").doesNotContain(":pw@");
  }

  @Test
  void dryRunTouchesNothing() throws Exception {
    TargetUrl db = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", smallDb(), "--target", db.display(), "--dry-run");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("CREATE TABLE \"public\".\"t\"").contains("dry run");
    assertThat(count(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'")).isZero();
    assertThat(count(db, "SELECT count(*) FROM pg_class WHERE relname = 't'")).isZero();
  }

  static long count(TargetUrl db, String sql) {
    return TestPostgres.count(db, sql);
  }
}
