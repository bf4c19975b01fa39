package dev.ferry.load;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.plan.DdlStep;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connection to the server can drop after the server committed a DDL step but before Ferry
 * heard so. The step is retried: it must then count the committed constraint as made, neither
 * making a second unnamed copy beside it nor reporting a named one "not created".
 */
class RetriedDdlTest {
  private static final List<String> CONSTRAINTS =
      List.of(
          "CHECK (n > 0)",
          "UNIQUE (n)",
          "FOREIGN KEY (n) REFERENCES public.p (id)",
          "CONSTRAINT t_n_small CHECK (n < 100)");

  @Test
  void aStepWhoseConnectionDroppedAfterItCommittedIsMadeOnce() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement()) {
      st.execute("CREATE TABLE public.p (id integer PRIMARY KEY); INSERT INTO p VALUES (1)");
      st.execute("CREATE TABLE public.t (n integer); INSERT INTO t VALUES (1)");
    }
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      for (int i = 0; i < CONSTRAINTS.size(); i++) {
        String constraint = CONSTRAINTS.get(i);
        String marker = "public.dropped_" + i;
        // the first attempt commits, then its connection is cut; the retry finds it made
        String sql =
            "DO $$ BEGIN ALTER TABLE public.t ADD "
                + constraint
                + "; IF to_regclass('"
                + marker
                + "') IS NULL THEN CREATE TABLE "
                + marker
                + " (); COMMIT; PERFORM pg_terminate_backend(pg_backend_pid()); END IF; END $$";
        List<dev.ferry.plan.Note> notes =
            target.runSteps("table t", List.of(new DdlStep(constraint, sql, null)));
        assertThat(notes).as(constraint).isEmpty();
        assertThat(count(url, "SELECT count(*) FROM " + marker + " WHERE true"))
            .as("the first attempt committed")
            .isZero();
        assertThat(
                count(
                    url,
                    "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.t'::regclass"))
            .as(constraint + " is made once")
            .isEqualTo(i + 1);
      }
    }
  }
}
