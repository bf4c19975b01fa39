package dev.ferry.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A followed SQLite file as a user runs it: {@code ferry sync start} in a JVM of its own. */
final class SyncHarness {
  final Path db;
  final TargetUrl url;
  final Path work;
  private Process follower;
  private Path log;
  private int started;

  SyncHarness(Path db, TargetUrl url, Path work) {
    this.db = db;
    this.url = url;
    this.work = work;
  }

  /** Creates the SQLite file from {@code script} and switches it to WAL, as sync requires. */
  static Path create(Path file, String script) throws SQLException {
    Sqlite.create(file, script);
    try (Connection c = Sqlite.open(file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
    }
    return file;
  }

  /** Starts {@code ferry sync start} in its own JVM, working directory {@code work}. */
  void start(String... more) throws Exception {
    log = work.resolve("follower-" + started++ + ".log");
    List<String> args =
        new ArrayList<>(List.of("sync", "start", db.toString(), "--target", url.display()));
    args.addAll(List.of(more));
    List<String> cmd = Ferry.inOwnJvm(args.toArray());
    follower =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  Process follower() {
    return follower;
  }

  String output() throws java.io.IOException {
    return log == null ? "" : Files.readString(log);
  }

  /** Runs a ferry command in-process against this file and target. */
  Ferry.Result ferry(String command, String... more) {
    List<Object> args = new ArrayList<>();
    for (String part : command.split(" ", -1)) {
      args.add(part);
    }
    args.add(db.toString());
    args.add("--target");
    args.add(url.display());
    if (!command.equals("verify")) {
      args.add("--work-dir");
      args.add(work.toString());
    }
    args.addAll(List.of(more));
    return Ferry.run(args.toArray());
  }

  JsonNode status() throws Exception {
    Ferry.Result r = ferry("sync status", "--json");
    if (r.exitCode() != 0) {
      throw new AssertionError(r.all());
    }
    return new ObjectMapper().readTree(r.out());
  }

  /** Waits until the follower follows with nothing left to apply. */
  void caughtUp(long timeoutMs) throws Exception {
    caughtUp(timeoutMs, 0);
  }

  /**
   * Waits until the follower follows with nothing left, or (while an application writes) with its
   * lag under {@code lagMs}.
   */
  void caughtUp(long timeoutMs, long lagMs) throws Exception {
    long until = System.currentTimeMillis() + timeoutMs;
    JsonNode s = null;
    while (System.currentTimeMillis() < until) {
      if (follower != null && !follower.isAlive()) {
        throw new AssertionError("the follower exited " + follower.exitValue() + ": " + output());
      }
      s = status();
      if (s.get("state").asText().equals("following")
          && (s.get("backlog").asLong() == 0 || s.get("lag_ms").asLong() < lagMs)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not caught up: " + s + "\n" + output());
  }

  /** Every object of the file's schema, as SQLite stores it. */
  static String schema(Path db) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type,"
                    + " name")) {
      while (rs.next()) {
        b.append(rs.getString(1))
            .append(' ')
            .append(rs.getString(2))
            .append(' ')
            .append(rs.getString(3))
            .append(": ")
            .append(rs.getString(4))
            .append('\n');
      }
    }
    return b.toString();
  }

  void kill() throws InterruptedException {
    if (follower != null && follower.isAlive()) {
      follower.destroyForcibly().waitFor();
    }
  }
}
