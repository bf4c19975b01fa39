package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What a run reads: a new backup copy (the default), the copy an interrupted run read (so a resumed
 * run reads the same data), or the source itself (--no-backup).
 */
final class Snapshot {
  final SqliteSource reading;

  /** The copy read, recorded with the run (null when the source is read directly). */
  final String copy;

  private final Backup taken;

  private Snapshot(SqliteSource reading, String copy, Backup taken) {
    this.reading = reading;
    this.copy = copy;
    this.taken = taken;
  }

  /**
   * The snapshot for a run: the interrupted run's copy when resuming one (refused when it is gone,
   * or when that run read the source directly and the source changed), else a new backup unless
   * --no-backup.
   */
  static Snapshot of(
      RunOptions options,
      SqliteSource source,
      RunStore.LastRun previous,
      UUID runId,
      String sourceName,
      Consumer<String> say) {
    if (previous != null) {
      return resumed(options, source, previous, sourceName);
    }
    if (!options.backup()) {
      return new Snapshot(source, null, null);
    }
    Path dir = backupRoot(options).resolve(runId.toString());
    Backup backup = Backup.take(source, dir);
    say.accept(
        String.format(
            "Backup: %s (one consistent snapshot; the run reads this copy)", backup.copy()));
    return new Snapshot(source.reopen(backup.copy()), backup.copy().toString(), backup);
  }

  private static Snapshot resumed(
      RunOptions options, SqliteSource source, RunStore.LastRun previous, String sourceName) {
    UUID runId = previous.run();
    if (previous.backupCopy() != null) {
      Path old = Path.of(previous.backupCopy());
      if (!Files.exists(old)) {
        throw new FerryException(
            ErrorCode.USAGE,
            "run "
                + runId
                + " read the backup "
                + old
                + ", which is gone: resuming from another snapshot could mix data; start over with"
                + " --if-exists drop");
      }
      Backup.check(old, runId);
      return new Snapshot(source.reopen(old), old.toString(), null);
    }
    String now = stamp(options.source());
    if (!now.equals(previous.sourceStamp())) {
      throw changed(sourceName, runId, previous.sourceStamp() + ", now " + now);
    }
    return new Snapshot(source, null, null);
  }

  /** The refusal to resume a run that read a source which has changed since. */
  static FerryException changed(String sourceName, UUID runId, String how) {
    return new FerryException(
        ErrorCode.USAGE,
        sourceName
            + " changed since run "
            + runId
            + " was interrupted ("
            + how
            + ") and that run"
            + " read it directly (--no-backup): resuming would mix two versions; start over with --if-exists drop");
  }

  /** True when this run took a new backup copy. */
  boolean isNewBackup() {
    return taken != null;
  }

  /** Waits until a new backup copy and its manifest are on disk (the flush overlaps planning). */
  void awaitDurable(UUID runId) {
    if (taken != null) {
      taken.awaitDurable(runId);
    }
  }

  /** Writes the new backup's manifest if it is not written yet (waiting for its checksum). */
  void finish(UUID runId) {
    if (taken != null) {
      taken.writeManifest(runId);
    }
  }

  /** Removes a new backup copy: the run was refused before anything was recorded. */
  void discard() {
    if (taken != null) {
      taken.remove();
    }
  }

  /** Where the runs' backup copies go: --backup-dir, else .ferry/backups; one folder per run. */
  static Path backupRoot(RunOptions options) {
    return options.backupDir() != null
        ? options.backupDir()
        : options.workDir().resolve(".ferry").resolve("backups");
  }

  /** A file's size and modification time, to notice a change between attempts. */
  static String stamp(Path file) {
    try {
      return Files.size(file) + " bytes, modified " + Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
