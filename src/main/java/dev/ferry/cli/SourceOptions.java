package dev.ferry.cli;

import dev.ferry.config.FerryConfig;
import dev.ferry.run.RunOptions;
import dev.ferry.run.RunSetting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to read and how to name it in the target: shared by migrate, inspect and verify. */
final class SourceOptions implements Settings.Taker {
  @Parameters(
      arity = "1..*",
      paramLabel = "SOURCE",
      description = "SQLite databases, .json/.ndjson/.jsonl/.txt files, or directories mixing them")
  List<Path> sources = new ArrayList<>();

  @Option(
      names = "--unnest",
      description =
          "JSON: arrays of objects in records' fields become child tables (ferry.yaml files.unnest"
              + " names single fields)")
  boolean unnest;

  @Option(
      names = "--staging-dir",
      paramLabel = "DIR",
      description =
          "JSON/text files are staged here before the load (default: .ferry/staging, or"
              + " BACKUP-DIR/staging with --backup-dir)")
  Path stagingDir;

  /**
   * The databases {@link #expand} staged (not the SQLite files it found): the one record of them,
   * read through {@link #isStaged}.
   */
  private final java.util.Set<Path> stagedHere = new java.util.HashSet<>();

  /**
   * The sources as SQLite files: JSON and text files and directories staged into databases (which
   * {@link #isStaged} then tells apart), SQLite files as they are.
   */
  List<Path> expand(
      FerryConfig config,
      dev.ferry.value.BadValuePolicy policy,
      Path backupDir,
      java.io.PrintStream out) {
    Path root =
        stagingDir != null
            ? stagingDir
            : backupDir != null
                ? backupDir.resolve("staging")
                : java.nio.file.Paths.get("").toAbsolutePath().resolve(".ferry").resolve("staging");
    refuseUrls();
    List<Path> all = new ArrayList<>();
    for (Path p : sources) {
      if (!dev.ferry.source.files.FileStores.handles(p)) {
        refuseStagedCopy(p);
        all.add(p);
        continue;
      }
      dev.ferry.source.files.FileStores.Expanded e =
          dev.ferry.source.files.FileStores.expand(
              p, config.files().withUnnestAll(unnest), policy, root, out);
      e.skipped().forEach(s -> out.println("Skipped: " + s));
      e.sources().stream()
          .filter(s -> stagedBy(s, root))
          .forEach(
              s ->
                  dev.ferry.source.files.FileStores.forEachReject(
                      s,
                      x ->
                          out.printf(
                              "Set aside (--on-bad-value set-aside): %s:%d (table %s): %s%n",
                              x.file(), x.line(), x.table(), x.reason())));
      if (e.sources().isEmpty()) {
        throw new dev.ferry.FerryException(
            dev.ferry.ErrorCode.SOURCE_UNREADABLE,
            p + ": no SQLite database, JSON, NDJSON or text file in it");
      }
      for (Path s : e.sources()) {
        if (stagedBy(s, root)) {
          stagedHere.add(s);
        } else {
          refuseStagedCopy(s);
        }
        all.add(s);
      }
    }
    return all;
  }

  /**
   * True when {@code s}, one of the sources expanding gave, is the database staging wrote: it lies
   * in the staging folder and says where it came from. A SQLite file found in a directory the user
   * named is the user's, whatever tables it holds ({@code _ferry_meta}, {@code _ferry_columns}).
   */
  private static boolean stagedBy(Path s, Path root) {
    Path file = s.toAbsolutePath().normalize();
    return file.startsWith(root.toAbsolutePath().normalize())
        && dev.ferry.source.files.FileStores.origin(s) != null;
  }

  /**
   * Refuses a SQLite file named (or found) as a source that says it is a copy Ferry staged from
   * JSON or text files: read as a user's file, its staging tables would land in the target and its
   * columns lose their JSON types, exit 0. Only the code that stages may vouch for a staged copy,
   * so the user is sent to the files it came from.
   */
  private static void refuseStagedCopy(Path s) {
    String origin = dev.ferry.source.files.FileStores.origin(s);
    if (origin != null) {
      throw new dev.ferry.FerryException(
          dev.ferry.ErrorCode.USAGE,
          s
              + ": this is a database Ferry staged from "
              + origin
              + " (its _ferry_meta table says so). Name "
              + origin
              + " as the source instead: Ferry stages it again (or reuses this copy) and reads it"
              + " with its JSON types.");
    }
  }

  /** True when {@code source} is a database {@link #expand} staged (not a user's SQLite file). */
  boolean isStaged(Path source) {
    return stagedHere.contains(source);
  }

  /**
   * Refuses a SOURCE that is a URL (a target given in the wrong place, a mistyped --target): it is
   * named with its password hidden, never echoed as a missing file.
   */
  void refuseUrls() {
    for (Path p : sources) {
      String s = p.toString();
      java.util.regex.Matcher url = URL.matcher(s);
      if (url.lookingAt()) {
        // the path kept one slash of "://": put it back so the password is found and hidden
        String shown =
            dev.ferry.postgres.Redaction.redact(
                s.contains("://") ? s : url.group() + "/" + s.substring(url.end()));
        boolean postgres = url.group().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        throw new dev.ferry.FerryException(
            dev.ferry.ErrorCode.USAGE,
            "SOURCE "
                + shown
                + " is a URL, not a file: Ferry reads SQLite, JSON, NDJSON and text files"
                + (postgres ? "; a PostgreSQL URL is the target: --target URL" : ""));
      }
    }
  }

  /** A URL's scheme as a path keeps it: "postgresql://h/db" reads as the path postgresql:/h/db. */
  private static final java.util.regex.Pattern URL =
      java.util.regex.Pattern.compile("(?i)(jdbc:)?[a-z][a-z0-9+.-]*:/");

  /** The one source of a command that takes one (a file or directory staged into one). */
  Path single(String command, FerryConfig config, java.io.PrintStream out) {
    return single(command, config, out, dev.ferry.value.BadValuePolicy.FIX);
  }

  /**
   * As {@link #single(String, FerryConfig, java.io.PrintStream)}, reading files as {@code migrate
   * --on-bad-value POLICY} reads them, and saying what staging set aside.
   */
  Path single(
      String command,
      FerryConfig config,
      java.io.PrintStream out,
      dev.ferry.value.BadValuePolicy policy) {
    if (sources.size() != 1) {
      throw new dev.ferry.FerryException(
          dev.ferry.ErrorCode.USAGE,
          "ferry " + command + " takes one SOURCE (got " + sources.size() + ")");
    }
    List<Path> all = expand(config, policy, null, out);
    if (all.size() != 1) {
      throw new dev.ferry.FerryException(
          dev.ferry.ErrorCode.USAGE,
          sources.get(0)
              + " holds "
              + all.size()
              + " sources (a staged database and SQLite files): name one of them");
    }
    return all.get(0);
  }

  private final Settings settings =
      new Settings(
          RunSetting.SCHEMA,
          RunSetting.ONLY,
          RunSetting.EXCLUDE,
          RunSetting.KEEP_CASE,
          RunSetting.CONFIG);

  @Override
  public Settings settings() {
    return settings;
  }

  /** --schema (default public). */
  String schema() {
    return (String) settings.get(RunSetting.SCHEMA);
  }

  /** Options for a command that only reads (inspect, verify, plan): no load, no backup. */
  RunOptions reading(
      Path source,
      String target,
      String schemaName,
      FerryConfig loaded,
      dev.ferry.verify.Verifier.Mode verify,
      dev.ferry.value.BadValuePolicy policy) {
    return RunOptions.builder()
        .source(source)
        .staged(isStaged(source))
        .config(loaded)
        .setAll(settings.values())
        .target(target)
        .schema(schemaName)
        .verify(verify)
        .badValues(policy)
        .dryRun(true)
        .backup(false)
        .chunkRows(0)
        .build();
  }

  FerryConfig loadConfig() {
    Path config = (Path) settings.get(RunSetting.CONFIG);
    return config == null ? FerryConfig.none() : FerryConfig.load(config);
  }
}
