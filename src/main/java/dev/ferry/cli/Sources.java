package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.run.RunOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sources of one command, each with the schema it goes into, as migrate places them and verify
 * must find them again. Refused at start, before anything is read or loaded: the same file twice,
 * and two files that would share a schema only because they share a name.
 */
final class Sources {
  private Sources() {}

  /** One source and its target schema. */
  record Placed(Path file, String schema) {}

  /** Refuses a file named twice (by any spelling of its path), naming both spellings. */
  static void refuseRepeats(List<Path> files) {
    Map<Path, Path> seen = new LinkedHashMap<>();
    for (Path f : files) {
      Path earlier = seen.putIfAbsent(identity(f), f);
      if (earlier != null) {
        throw new FerryException(
            ErrorCode.USAGE,
            (earlier.equals(f) ? f + " is given twice" : f + " and " + earlier + " are one file")
                + ": each source is read once per run; name it once");
      }
    }
  }

  /**
   * Each source with its schema: with {@code perSource}, the ferry.yaml {@code schemas:} entry or
   * the file's name, else {@code schema} for all. Two files whose schema comes from the same name
   * are refused: they would merge silently into one schema.
   */
  static List<Placed> place(
      List<Path> files, FerryConfig config, boolean perSource, String schema) {
    refuseRepeats(files);
    List<Placed> placed = new ArrayList<>();
    Map<String, Path> bySchema = new LinkedHashMap<>();
    Map<String, Boolean> byDefault = new LinkedHashMap<>();
    for (Path f : files) {
      String name = RunOptions.sourceName(f);
      String explicit = config.schemas().get(name);
      String s = !perSource ? schema : explicit != null ? explicit : schemaName(name);
      Path other = bySchema.putIfAbsent(s, f);
      boolean named = explicit == null;
      // two stores sent to one schema on purpose (schemas:) are the user's choice; by default never
      if (perSource && other != null && (named || byDefault.get(s))) {
        throw new FerryException(
            ErrorCode.USAGE,
            other
                + " and "
                + f
                + " would both go into schema "
                + s
                + " (--schema-per-source names a schema after the file): "
                + (RunOptions.sourceName(other).equals(name)
                    ? "rename one of the files, or migrate them in separate commands with --schema"
                    : "give one a schema of its own in ferry.yaml (schemas: {" + name + ": ...})"));
      }
      byDefault.merge(s, named, Boolean::logicalOr);
      placed.add(new Placed(f, s));
    }
    return placed;
  }

  /** A schema name from a file name: lower case letters, digits and _. */
  static String schemaName(String sourceName) {
    String s = sourceName.replaceAll("[^a-z0-9_]", "_");
    return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "s_" + s : s;
  }

  private static Path identity(Path f) {
    try {
      return f.toRealPath();
    } catch (IOException e) {
      return f.toAbsolutePath().normalize(); // missing: reported when it is read
    }
  }
}
