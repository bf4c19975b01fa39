package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorCode;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's side of a run (backup copy, schema, plan) is made while the target is checked, and
 * kept only when the run turns out to be new: a run stopped by the target, or one that resumes an
 * interrupted run (and so reads that run's copy), leaves no copy of its own behind.
 */
class SourceAheadTest {
  @TempDir Path tmp;

  private static final String SCHEMA =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n"
          + "INSERT INTO t (v) VALUES ('a'), ('b'), ('c')";

  @Test
  void anUnreachableTargetStopsTheRunAndLeavesNoCopy() throws Exception {
    Path db = Sqlite.create(tmp.resolve("s.db"), SCHEMA);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Ferry.Result r =
        Ferry.run(
            "migrate",
            db,
            "--target",
            "postgresql://postgres@127.0.0.1:" + closedPort + "/nowhere",
            "--backup-dir",
            tmp.resolve("backups"));
    assertThat(r.exitCode()).as(r.all()).isEqualTo(ErrorCode.TARGET_UNREACHABLE.exitCode());
    assertThat(r.out()).as("the source's messages are the run's only").doesNotContain("Backup:");
    assertThat(copies(tmp.resolve("backups"))).isEmpty();
  }

  @Test
  void aResumedRunReadsTheInterruptedRunsCopyAndKeepsNoOtherOne() throws Exception {
    Path db = Sqlite.create(tmp.resolve("s.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    Path backups = tmp.resolve("backups");
    Ferry.Result first =
        Ferry.run("migrate", db, "--target", url.display(), "--backup-dir", backups);
    assertThat(first.exitCode()).as(first.all()).isZero();
    List<Path> kept = copies(backups);
    assertThat(kept).hasSize(1);
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement()) { // as if killed before it finished
      st.execute("UPDATE ferry.runs SET state = 'running', finished_at = NULL");
    }
    Ferry.Result resumed =
        Ferry.run("migrate", db, "--target", url.display(), "--backup-dir", backups);
    assertThat(resumed.exitCode()).as(resumed.all()).isZero();
    assertThat(resumed.out()).contains("Resuming run").doesNotContain("Backup:");
    assertThat(copies(backups)).as("only the interrupted run's copy").isEqualTo(kept);
  }

  @Test
  void aNewRunPrintsWhatItsSourceSideSaidInTheUsualOrder() {
    Path db = Sqlite.create(tmp.resolve("s.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", db, "--target", url.display(), "--backup-dir", tmp.resolve("b"));
    assertThat(r.exitCode()).as(r.all()).isZero();
    String out = r.out();
    assertThat(out.indexOf("Backup:")).isNotNegative().isLessThan(out.indexOf("Planning "));
    assertThat(out.indexOf("Planning ")).isLessThan(out.indexOf("Run "));
    assertThat(out).contains("time: backup").contains("plan ");
  }

  private static List<Path> copies(Path backups) throws Exception {
    if (!Files.exists(backups)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(backups)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }
}
