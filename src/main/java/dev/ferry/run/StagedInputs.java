package dev.ferry.run;

import dev.ferry.source.files.FileStores;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What staging JSON and text files left for the run: the file or directory the user named, notes
 * (renamed fields, child tables) and lines set aside before the load. Empty for a SQLite source.
 */
final class StagedInputs {
  final String origin;
  final List<String> notes;
  private final List<FileStores.Reject> rejects;

  private StagedInputs(String origin, List<String> notes, List<FileStores.Reject> rejects) {
    this.origin = origin;
    this.notes = notes;
    this.rejects = rejects;
  }

  static StagedInputs of(Path source) {
    String origin = FileStores.origin(source);
    return origin == null
        ? new StagedInputs(null, List.of(), List.of())
        : new StagedInputs(origin, FileStores.notes(source), FileStores.rejects(source));
  }

  long setAside(String table) {
    return rejects.stream().filter(r -> r.table().equals(table)).count();
  }

  /** Writes the set-aside lines to ferry.rejects, with file and line as their key. */
  void record(RunStore store, UUID run) {
    for (FileStores.Reject r : rejects) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("file", r.file());
      key.put("line", r.line());
      store.reject(run, r.table(), key, Map.of("text", r.text()), r.reason());
    }
  }
}
