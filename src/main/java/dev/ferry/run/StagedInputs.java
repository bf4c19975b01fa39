package dev.ferry.run;

import dev.ferry.source.files.FileStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What staging JSON and text files left for the run: the file or directory the user named, notes
 * (renamed fields, child tables) and how many lines were set aside before the load, per table.
 * Empty for a SQLite source, whatever {@code _ferry_*} tables it holds: only a database Ferry
 * staged in this invocation ({@link RunOptions#staged}) is read for them.
 */
final class StagedInputs {
  final String origin;
  final List<String> notes;
  private final Path db;
  private final Map<String, Long> setAside;

  private StagedInputs(String origin, List<String> notes, Path db, Map<String, Long> setAside) {
    this.origin = origin;
    this.notes = notes;
    this.db = db;
    this.setAside = setAside;
  }

  static StagedInputs of(RunOptions options) {
    Path source = options.source();
    String origin = options.staged() ? FileStores.origin(source) : null;
    return origin == null
        ? new StagedInputs(null, List.of(), source, Map.of())
        : new StagedInputs(
            origin, FileStores.notes(source), source, FileStores.rejectCounts(source));
  }

  /**
   * What the user named for the options' source: the staged file or directory, else the file. A
   * user's SQLite file is named as itself, whatever its {@code _ferry_meta} table says.
   */
  static String named(RunOptions options) {
    Path source = options.source();
    String origin = options.staged() ? FileStores.origin(source) : null;
    return origin != null ? origin : source.toAbsolutePath().normalize().toString();
  }

  long setAside(String table) {
    return setAside.getOrDefault(table, 0L);
  }

  /** Copies the set-aside lines into ferry.rejects, keyed by file and line, streamed. */
  void record(RunStore store, UUID run) {
    if (!setAside.isEmpty()) {
      store.rejects(run, each -> FileStores.forEachReject(db, each));
    }
  }
}
