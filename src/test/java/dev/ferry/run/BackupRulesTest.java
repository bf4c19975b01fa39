package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup copies: taken wherever the path leads (spaces anywhere), kept only for runs that happen (a
 * refused run leaves none), kept a week unless resumable, and shown with their size.
 */
class BackupRulesTest {
  @TempDir Path tmp;

  private static final String SCHEMA =
      "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);\nINSERT INTO a (v) VALUES ('x'), ('y')";

  @Test
  void aSpaceAnywhereInTheBackupPathIsJustACharacter() throws Exception {
    Path spaced = Files.createDirectories(tmp.resolve("my work folder"));
    Path db = Sqlite.create(spaced.resolve("my app 'v2'.db"), SCHEMA);
    // the source's name, --backup-dir, and the default place under a working folder
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result named =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "-q",
            "--backup-dir",
            spaced.resolve("my backups"));
    assertThat(named.exitCode()).as(named.all()).isZero();
    assertThat(copies(spaced.resolve("my backups"))).hasSize(1);

    RunOptions options =
        RunOptions.builder()
            .source(db)
            .target(TestPostgres.newDatabase().display())
            .set(RunSetting.JOBS, 1)
            .backup(true)
            .chunkRows(0)
            .workDir(spaced)
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport report =
        new Migration(options, new PrintStream(out, true, StandardCharsets.UTF_8), Map.of(), true)
            .run();
    assertThat(report.exitCode()).as(out.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(copies(spaced.resolve(".ferry/backups"))).hasSize(1);
  }

  @Test
  void aRefusedRunLeavesNoBackupAndAReportThatCannotBeWrittenRefusesFirst() throws Exception {
    Path db = Sqlite.create(tmp.resolve("r.db"), SCHEMA);
    Path backups = tmp.resolve("backups");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result report =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "--backup-dir",
            backups,
            "--report",
            tmp.resolve("no such dir/run.json"));
    assertThat(report.exitCode()).as(report.all()).isEqualTo(1);
    assertThat(report.err()).contains("cannot write the report to").contains("nothing was done");
    assertThat(count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"))
        .as("refused before anything was recorded")
        .isZero();

    assertThat(
            Ferry.run("migrate", db, "--target", url.display(), "--backup-dir", backups).exitCode())
        .isZero();
    assertThat(copies(backups)).hasSize(1);
    for (List<Object> refused :
        List.<List<Object>>of(
            List.of(), // the tables exist: --if-exists fail refuses
            List.of("--priority", "P0"), // nothing of that priority: nothing to do
            List.of("--config", tmp.resolve("bad.yaml")))) { // a cast the source refutes
      Files.writeString(tmp.resolve("bad.yaml"), "casts:\n  a.nope: bigint\n");
      List<Object> args =
          new java.util.ArrayList<>(
              List.of("migrate", db, "--target", url.display(), "--backup-dir", backups));
      args.addAll(refused);
      Ferry.Result r = Ferry.run(args.toArray());
      assertThat(r.exitCode()).as(refused + ": " + r.all()).isIn(0, 1);
      assertThat(copies(backups)).as(refused + " left a backup copy").hasSize(1);
    }
    assertThat(count(url, "SELECT count(*) FROM ferry.runs")).isOne();
  }

  @Test
  void copiesOlderThanTheRetentionGoExceptAResumableRuns() throws Exception {
    Path backups = tmp.resolve("b");
    Instant now = Instant.parse("2026-11-28T00:00:00Z");
    UUID old = copy(backups, now.minus(Duration.ofDays(8)));
    UUID oldButResumable = copy(backups, now.minus(Duration.ofDays(30)));
    UUID recent = copy(backups, now.minus(Duration.ofDays(6)));
    Files.createDirectories(backups.resolve("not-a-run")); // not Ferry's: never touched
    BackupRetention.Pruned p =
        BackupRetention.prune(backups, Duration.ofDays(7), Set.of(oldButResumable), now);
    assertThat(p.copies()).isOne();
    assertThat(p.bytes()).isPositive();
    assertThat(Files.exists(backups.resolve(old.toString()))).isFalse();
    assertThat(Files.exists(backups.resolve(oldButResumable.toString()))).isTrue();
    assertThat(Files.exists(backups.resolve(recent.toString()))).isTrue();
    assertThat(Files.exists(backups.resolve("not-a-run"))).isTrue();
    assertThat(BackupRetention.keep(Map.of())).isEqualTo(Duration.ofDays(7));
    assertThat(BackupRetention.keep(Map.of(BackupRetention.VARIABLE, "30")))
        .isEqualTo(Duration.ofDays(30));
    for (String bad : List.of("-1", "week", "1.5")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> BackupRetention.keep(Map.of(BackupRetention.VARIABLE, bad)))
          .hasMessageContaining(BackupRetention.VARIABLE + "=" + bad);
    }

    // a migration prunes its backup directory first, and `ferry runs` shows what copies take
    Path db = Sqlite.create(tmp.resolve("p.db"), SCHEMA);
    TargetUrl url = TestPostgres.newDatabase();
    UUID stale = copy(backups, Instant.now().minus(Duration.ofDays(9)));
    Ferry.Result m = Ferry.run("migrate", db, "--target", url.display(), "--backup-dir", backups);
    assertThat(m.exitCode()).as(m.all()).isZero();
    assertThat(m.out()).contains("Backups: removed");
    assertThat(Files.exists(backups.resolve(stale.toString()))).isFalse();
    Ferry.Result runs = Ferry.run("runs", "--target", url.display());
    assertThat(runs.out()).contains("backup").contains(" kB ").contains("Backup copies take");

    // --keep-backups DAYS overrides the default: a 3-day-old copy goes with --keep-backups 2
    UUID threeDays = copy(backups, Instant.now().minus(Duration.ofDays(3)));
    Ferry.Result kept =
        Ferry.run(
            "migrate",
            db,
            "--target",
            TestPostgres.newDatabase().display(),
            "--backup-dir",
            backups,
            "--keep-backups",
            "2");
    assertThat(kept.exitCode()).as(kept.all()).isZero();
    assertThat(Files.exists(backups.resolve(threeDays.toString()))).isFalse();
    Ferry.Result negative = Ferry.run("migrate", db, "--keep-backups", "-1");
    assertThat(negative.exitCode()).isEqualTo(1);
    assertThat(negative.all()).contains("--keep-backups");
  }

  /** A run folder with a manifest taken at {@code at}. */
  private static UUID copy(Path backups, Instant at) throws Exception {
    UUID run = UUID.randomUUID();
    Path dir = Files.createDirectories(backups.resolve(run.toString()));
    Files.writeString(dir.resolve("x.db"), "x".repeat(5000));
    Files.writeString(dir.resolve("manifest.json"), "{\"taken_at\": \"" + at + "\"}");
    return run;
  }

  private static List<Path> copies(Path backups) throws Exception {
    if (!Files.exists(backups)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(backups)) {
      return s.filter(Files::isDirectory).toList();
    }
  }
}
