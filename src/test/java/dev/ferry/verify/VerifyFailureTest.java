package dev.ferry.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.PlanOptions;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.SqlStates;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import dev.ferry.value.BadValuePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verification that cannot finish says why with the right exit code: the target out of reach is
 * exit 2, a target that no longer holds what was loaded is exit 4, the source's own failure names
 * the file; only a query PostgreSQL refuses for no reason of the data's is an internal error.
 */
class VerifyFailureTest {
  @TempDir Path tmp;

  /** One SQL state of every kind SqlStates knows, and what verifying under it must report. */
  private static final Map<String, ErrorCode> BY_STATE =
      Map.ofEntries(
          Map.entry("08006", ErrorCode.TARGET_UNREACHABLE), // connection failure
          Map.entry("57P01", ErrorCode.TARGET_UNREACHABLE), // admin shutdown
          Map.entry("28P01", ErrorCode.TARGET_UNREACHABLE), // password refused
          Map.entry("42501", ErrorCode.TARGET_UNREACHABLE), // privilege
          Map.entry("57014", ErrorCode.TARGET_UNREACHABLE), // cancelled (statement_timeout)
          Map.entry("25006", ErrorCode.TARGET_UNREACHABLE), // read-only (a standby)
          Map.entry("42P01", ErrorCode.VERIFICATION_FAILED), // the table is gone
          Map.entry("42703", ErrorCode.VERIFICATION_FAILED), // a column is gone
          Map.entry("42883", ErrorCode.VERIFICATION_FAILED), // the column's type changed
          Map.entry("22P02", ErrorCode.VERIFICATION_FAILED), // a value of another type
          Map.entry("42601", ErrorCode.INTERNAL), // syntax: Ferry's query is wrong
          Map.entry("23505", ErrorCode.INTERNAL),
          Map.entry("42P07", ErrorCode.INTERNAL));

  @Test
  void everyKindOfServerFailureMapsToTheExitCodeThatSaysWhatToDo() throws Exception {
    TablePlan t = plan(small()).tables().get(0);
    for (var e : BY_STATE.entrySet()) {
      SQLException cause = new SQLException("ERROR: something\n  Detail: more", e.getKey());
      FerryException f = VerifyFailure.of("cannot compare the rows of x", t, cause);
      assertThat(f.code())
          .as(e.getKey() + " (" + SqlStates.of(e.getKey()) + ")")
          .isEqualTo(e.getValue());
      assertThat(f.getMessage())
          .startsWith("cannot compare the rows of x: ")
          .doesNotContain("Detail");
      // wrapped the way pools and drivers wrap it, the meaning is the same
      FerryException wrapped = VerifyFailure.of("w", t, new RuntimeException(cause));
      assertThat(wrapped.code()).as("wrapped " + e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void aFerryExceptionKeepsItsCodeAndABugIsInternal() throws Exception {
    TablePlan t = plan(small()).tables().get(0);
    FerryException source = new FerryException(ErrorCode.SOURCE_UNREADABLE, "a.db: corrupt");
    assertThat(VerifyFailure.of("x", t, source)).isSameAs(source);
    assertThat(VerifyFailure.of("x", t, new NullPointerException()).code())
        .isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void aDroppedTargetTableIsAVerificationFailureNamingIt() throws Exception {
    Path db = small();
    TargetUrl url = migrated(db);
    sql(url, "DROP TABLE t");
    TablePlan t = plan(db).tables().get(0);
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      FerryException e =
          catchThrowableOfType(FerryException.class, () -> Verifier.checksum(target, t));
      assertThat(e.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED);
      assertThat(e.getMessage()).contains("\"public\".\"t\"").contains("no longer holds");
      FerryException rows =
          catchThrowableOfType(
              FerryException.class,
              () -> Verifier.compareRows(source(db), target, t, BadValuePolicy.FIX));
      assertThat(rows.code()).isEqualTo(ErrorCode.VERIFICATION_FAILED);
    }
  }

  @Test
  void aRoleThatMayNotReadTheTableCannotVerifyIt() throws Exception {
    Path db = small();
    TargetUrl url = migrated(db);
    String role = "noread_" + ProcessHandle.current().pid();
    sql(
        url,
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
            + role
            + "') THEN CREATE ROLE "
            + role
            + " LOGIN; END IF; END $$");
    String db0 = url.jdbcUrl().substring(url.jdbcUrl().lastIndexOf('/') + 1);
    TargetUrl as =
        TargetUrl.parse("postgresql://" + role + "@127.0.0.1:" + TestPostgres.port() + "/" + db0);
    TablePlan t = plan(db).tables().get(0);
    try (PostgresTarget target = PostgresTarget.connect(as, 2)) {
      FerryException e =
          catchThrowableOfType(FerryException.class, () -> Verifier.checksum(target, t));
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TARGET_UNREACHABLE);
      assertThat(e.getMessage()).contains("permission denied");
    }
  }

  @Test
  void aSourceThatBreaksWhileBeingComparedIsNamed() throws Exception {
    Path db = small();
    TargetUrl url = migrated(db);
    SqliteSource source = source(db);
    TablePlan t = plan(db).tables().get(0);
    Files.write(db, new byte[4096]); // the file is no longer a database
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      FerryException e =
          catchThrowableOfType(
              FerryException.class,
              () -> Verifier.compareRows(source, target, t, BadValuePolicy.FIX));
      assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
      assertThat(e.getMessage()).contains(db.getFileName().toString());
    }
  }

  private Path small() {
    return Sqlite.create(
        tmp.resolve("v" + System.nanoTime() + ".db"),
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n"
            + "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)");
  }

  private static SqliteSource source(Path db) {
    return SqliteSource.open(db);
  }

  private static MigrationPlan plan(Path db) {
    SqliteSource s = source(db);
    return Planner.plan(s, s.readSchema(), PlanOptions.defaults());
  }

  private static TargetUrl migrated(Path db) {
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    assertThat(r.exitCode()).as(r.all()).isZero();
    return url;
  }

  private static void sql(TargetUrl url, String... statements) throws SQLException {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }
}
