package dev.ferry.load;

/** What to do when a table the run would create already exists in the target. */
public enum IfExists {
  /** Stop before touching anything, naming the tables (the default). */
  FAIL,
  /** Drop the existing table (CASCADE) and create it anew. */
  DROP,
  /** Keep the existing table and its schema, empty it, load into it. */
  TRUNCATE,
  /** Keep the existing table and its rows, load into it. */
  APPEND
}
