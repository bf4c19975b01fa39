package dev.ferry.source.files;

import java.util.Map;
import java.util.Set;

/**
 * How JSON and text files become tables (ferry.yaml {@code files:}):
 *
 * <pre>
 * files:
 *   doc: true                       # keep each whole document in a doc jsonb column (default)
 *   unnest: [tweet_cache.media]     # arrays of objects in these fields become child tables
 *   keyed: {tweet_cache: tweet_id}  # this file is an object keyed by id; name the key column
 *   records: [runtime_stats]        # this file is one record, even if it looks keyed
 * </pre>
 *
 * Tables are named by their file name without extension.
 *
 * @param doc keep the doc column
 * @param unnestAll every array of objects becomes a child table (--unnest)
 * @param unnest table.field whose arrays of objects become child tables
 * @param keyed table → key column name: the file is an object keyed by id
 * @param records tables whose file is one record, never keyed
 */
public record FileRules(
    boolean doc,
    boolean unnestAll,
    Set<String> unnest,
    Map<String, String> keyed,
    Set<String> records) {
  public static final FileRules DEFAULT = new FileRules(true, false, Set.of(), Map.of(), Set.of());

  public FileRules withUnnestAll(boolean all) {
    return new FileRules(doc, unnestAll || all, unnest, keyed, records);
  }

  /** A stable text of the rules, so a staged copy made under other rules is not reused. */
  public String fingerprint() {
    return doc
        + "|"
        + unnestAll
        + "|"
        + new java.util.TreeSet<>(unnest)
        + "|"
        + new java.util.TreeMap<>(keyed)
        + "|"
        + new java.util.TreeSet<>(records);
  }
}
