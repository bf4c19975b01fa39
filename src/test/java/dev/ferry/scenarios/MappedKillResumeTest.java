package dev.ferry.scenarios;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments of a run that maps a table into one the user already filled, whose key
 * is a serial (so a row loaded twice would be a second row, not a key violation): every re-run
 * resumes, and at the end the table holds the user's rows and each source row exactly once,
 * ferry.mapped_rows names exactly the run's rows, and a rollback leaves the user's rows alone.
 */
class MappedKillResumeTest {
  private static final int ROWS = 60_000;
  private static final int MINE = 3;

  @TempDir Path tmp;

  @Test
  void killedAtRandomThenFinishedEverySourceRowIsThereOnce() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("events.db"),
            "CREATE TABLE events (ext_id TEXT PRIMARY KEY, body TEXT, at REAL);\n"
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                + ROWS
                + ") INSERT INTO events SELECT 'e' || i, printf('event %d: %s', i,"
                + " hex(randomblob(24))), 1717236000 + i / 4.0 FROM n;\n");
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE app_events (id bigserial PRIMARY KEY, ext_id text NOT NULL,"
              + " body text NOT NULL, happened_at timestamptz NOT NULL)");
      st.execute(
          "INSERT INTO app_events (ext_id, body, happened_at) SELECT 'mine' || i, 'mine', now()"
              + " FROM generate_series(1, "
              + MINE
              + ") i");
    }
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(
        config,
        """
        map:
          events:
            into: app_events
            columns: {at: happened_at}
            transform: {at: epoch_seconds}
        """);
    Random random = new Random(20261128);
    int kills = 0;
    boolean done = false;
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 8 && !done; i++) {
      Process p = ferry(db, url, config, i % 2 == 0 ? List.of() : List.of("--resume"));
      if (p.waitFor(300L + random.nextInt(2500), TimeUnit.MILLISECONDS)) {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        log.append("run ").append(i).append(" exited ").append(p.exitValue()).append(": ");
        log.append(out).append('\n');
        assertThat(p.exitValue()).as(log.toString()).isIn(0, 1);
        done = true; // 1: a run before it had already finished
      } else {
        p.destroyForcibly().waitFor();
        kills++;
      }
    }
    if (!done) {
      Process p = ferry(db, url, config, List.of());
      assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
    }
    assertThat(kills).as("the process was really killed along the way: %s", log).isPositive();

    assertThat(count(url, "SELECT count(*) FROM app_events")).isEqualTo(ROWS + MINE);
    assertThat(count(url, "SELECT count(DISTINCT ext_id) FROM app_events"))
        .as("no source row loaded twice")
        .isEqualTo(ROWS + MINE);
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'")).isOne();
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state <> 'succeeded'")).isZero();
    assertThat(count(url, "SELECT count(*) FROM ferry.mapped_tables WHERE rows_written = " + ROWS))
        .isOne();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM ferry.mapped_rows m JOIN app_events t"
                    + " ON t.id::text = m.row_key->>0 WHERE t.ext_id LIKE 'e%'"))
        .as("ferry.mapped_rows names exactly the run's rows")
        .isEqualTo(ROWS);
    assertThat(count(url, "SELECT count(*) FROM ferry.mapped_rows")).isEqualTo(ROWS);

    String run =
        TableRows.column(url, "SELECT run_id::text FROM ferry.runs WHERE state = 'succeeded'")
            .get(0);
    Ferry.Result back = Ferry.run("rollback", run, "--target", url.display());
    assertThat(back.exitCode()).as(back.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM app_events WHERE ext_id LIKE 'mine%'"))
        .isEqualTo(MINE);
    assertThat(count(url, "SELECT count(*) FROM app_events")).isEqualTo(MINE);
  }

  /** `ferry migrate` in a JVM of its own, so it can be killed for real. */
  private Process ferry(Path db, TargetUrl url, Path config, List<String> extra) throws Exception {
    List<String> cmd =
        Ferry.inOwnJvm(
            "migrate",
            db.toString(),
            "--target",
            url.display(),
            "-q",
            "--config",
            config.toString(),
            "--backup-dir",
            tmp.resolve("backups").toString());
    cmd.addAll(extra);
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
