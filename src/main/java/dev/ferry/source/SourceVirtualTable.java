package dev.ferry.source;

import java.util.List;
import java.util.Locale;

/**
 * A virtual table ({@code CREATE VIRTUAL TABLE name USING module(arguments)}): a full-text index
 * (fts3, fts4, fts5), an R*Tree, or a module of an extension. Its shadow tables (the module's
 * storage, such as {@code name_data} or {@code name_content}) are never user data.
 *
 * @param name name as written
 * @param module the module, lower-cased
 * @param arguments the module arguments as written (columns and key=value options)
 * @param carried true when its rows are read as a table of {@link SourceSchema#tables()} (a
 *     full-text table that holds its own content)
 */
public record SourceVirtualTable(
    String name, String module, List<String> arguments, boolean carried) {

  /** True for SQLite's full-text modules. */
  public boolean fullText() {
    return module.equals("fts5") || module.equals("fts4") || module.equals("fts3");
  }

  /** The value of option {@code key} ({@code content='posts'}) without quotes, or null. */
  public String option(String key) {
    for (String a : arguments) {
      int eq = a.indexOf('=');
      if (eq > 0 && a.substring(0, eq).trim().equalsIgnoreCase(key)) {
        return unquote(a.substring(eq + 1).trim());
      }
    }
    return null;
  }

  /** The declared columns (arguments that are not options), with their words after the name. */
  public List<String> columnArguments() {
    return arguments.stream().filter(a -> a.indexOf('=') < 0).map(String::trim).toList();
  }

  /** The columns full-text search indexes (fts5 UNINDEXED and fts4 notindexed= left out). */
  public List<String> indexedColumns() {
    String notIndexed = option("notindexed");
    return columnArguments().stream()
        .filter(a -> !a.toUpperCase(Locale.ROOT).endsWith(" UNINDEXED"))
        .map(a -> unquote(a.split("\\s+", 2)[0]))
        .filter(c -> notIndexed == null || !c.equalsIgnoreCase(notIndexed))
        .toList();
  }

  /** The names of the module's shadow tables that may exist. */
  public List<String> shadowTables() {
    List<String> suffixes =
        switch (module) {
          case "fts5" -> List.of("_data", "_idx", "_content", "_docsize", "_config");
          case "fts4", "fts3" -> List.of("_content", "_segments", "_segdir", "_docsize", "_stat");
          case "rtree", "rtree_i32", "geopoly" -> List.of("_node", "_rowid", "_parent");
          default -> List.of();
        };
    return suffixes.stream().map(s -> name + s).toList();
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.charAt(0) == '\''
            || s.charAt(0) == '"'
            || s.charAt(0) == '`'
            || s.charAt(0) == '[')) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
