package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recorded run ends in a final state, whatever fails and at whichever stage: the state, the
 * exit code and the reason are in ferry.runs, never "running" for a run whose process has ended.
 */
class FinalStateTest {
  @TempDir Path tmp;

  /**
   * One way for a run to fail after it was recorded.
   *
   * @param stage where it fails
   * @param schema the target schema
   * @param sabotage SQL run on the target first (after one good run into schema "good")
   * @param exit the exit code it must end with
   */
  private record Failure(String stage, String schema, String sabotage, int exit) {}

  @Test
  void aRunThatFailsAtAnyStageIsRecordedFailedWithItsReason() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("f.db"),
            """
            CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
            INSERT INTO a (v) VALUES ('x'), ('y');
            CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));
            INSERT INTO b (a_id) VALUES (1)""");
    List<Failure> failures =
        List.of(
            // PostgreSQL reserves pg_ names for schemas: the run fails creating it, before any
            // table
            new Failure("schema", "pg_foo", null, 5),
            // a table PostgreSQL refuses to create
            new Failure(
                "load",
                "refused",
                "CREATE EVENT TRIGGER no_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE')"
                    + " EXECUTE FUNCTION public.refuse()",
                5),
            // the run's own record of its tables is refused, after the load and verification
            new Failure(
                "commit",
                "unrecorded",
                "CREATE TRIGGER no_results BEFORE INSERT ON ferry.table_results"
                    + " FOR EACH ROW EXECUTE FUNCTION public.refuse_row()",
                5));
    for (Failure f : failures) {
      TargetUrl url = TestPostgres.newDatabase();
      Ferry.Result good =
          Ferry.run("migrate", db, "--target", url.display(), "-q", "--schema", "good");
      assertThat(good.exitCode()).as(good.all()).isZero();
      try (Connection c = TestPostgres.connect(url);
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE FUNCTION public.refuse() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN"
                + " IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE schema_name = 'refused')"
                + " THEN RAISE EXCEPTION 'refused by the test'; END IF; END$$");
        st.execute(
            "CREATE FUNCTION public.refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
                + " RAISE EXCEPTION 'refused by the test'; END$$");
        if (f.sabotage() != null) {
          st.execute(f.sabotage());
        }
      }
      Ferry.Result r =
          Ferry.run("migrate", db, "--target", url.display(), "-q", "--schema", f.schema());
      assertThat(r.exitCode()).as(f.stage() + ": " + r.all()).isEqualTo(f.exit());
      try (Connection c = TestPostgres.connect(url);
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT state, exit_code, message, finished_at IS NOT NULL FROM ferry.runs"
                      + " WHERE target_schema = ?")) {
        ps.setString(1, f.schema());
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as(f.stage() + ": the run was recorded").isTrue();
          assertThat(rs.getString(1)).as(f.stage()).isEqualTo("failed");
          assertThat(rs.getInt(2)).as(f.stage()).isEqualTo(f.exit());
          assertThat(rs.getString(3)).as(f.stage()).startsWith("FAILED");
          assertThat(rs.getBoolean(4)).as(f.stage() + ": finished_at").isTrue();
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }
}
