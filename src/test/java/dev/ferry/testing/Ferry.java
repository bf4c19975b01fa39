package dev.ferry.testing;

import dev.ferry.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the real `ferry` command line in-process and captures what it prints. */
public final class Ferry {
  private static java.nio.file.Path backups;

  private Ferry() {}

  private static synchronized java.nio.file.Path backups() {
    if (backups == null) {
      try {
        backups = java.nio.file.Files.createTempDirectory("ferry-test-backups");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      java.nio.file.Path dir = backups;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try (var walk = java.nio.file.Files.walk(dir)) {
                      walk.sorted(java.util.Comparator.reverseOrder())
                          .forEach(p -> p.toFile().delete());
                    } catch (java.io.IOException e) {
                      // temporary files: the OS cleans up too
                    }
                  }));
    }
    return backups;
  }

  /**
   * The command line that runs {@code ferry ARGS} in a JVM of its own (256 MB heap, this test's
   * class path), for tests that kill it, run two at once, or need its real exit.
   */
  public static List<String> inOwnJvm(Object... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ferry.cli.Main"));
    for (Object a : args) {
      cmd.add(String.valueOf(a));
    }
    return cmd;
  }

  /** What one command printed and its exit code. */
  public record Result(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  /**
   * Runs a command line. A migrate that names no backup place backs up into a temporary directory
   * of this test JVM (removed at exit), so every test exercises the backup path without writing
   * into the project.
   */
  public static Result run(Object... args) {
    List<String> list = new ArrayList<>();
    for (Object a : args) {
      list.add(String.valueOf(a));
    }
    if (!list.isEmpty()
        && list.get(0).equals("migrate")
        && !list.contains("--no-backup")
        && !list.contains("--backup-dir")
        && !list.contains("--dry-run")) {
      list.add("--backup-dir");
      list.add(backups().toString());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            list.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
