package dev.ferry.source.files;

/**
 * One column of a staged table and what its JSON values were, which decides the type hint the
 * planner gets (see {@link #declared}).
 */
final class StagedColumn {
  /** The JSON field (null for a column Ferry adds: key, ordinal, doc, file...). */
  final String field;

  final String name;
  final String fixedDeclared;
  long nulls;
  long booleans;
  long integers;
  long reals;
  long exactNumbers; // numbers kept as their literal: beyond 64 bits or not exact in a double
  long strings;
  long containers;

  StagedColumn(String field, String name, String fixedDeclared) {
    this.field = field;
    this.name = name;
    this.fixedDeclared = fixedDeclared;
  }

  boolean holdsContainersAndScalars() {
    return containers > 0 && booleans + integers + reals + exactNumbers + strings > 0;
  }

  /** How many JSON kinds the column held: strings, numbers, booleans, objects and arrays. */
  int kinds() {
    return (strings > 0 ? 1 : 0)
        + (integers + reals + exactNumbers > 0 ? 1 : 0)
        + (booleans > 0 ? 1 : 0)
        + (containers > 0 ? 1 : 0);
  }

  /**
   * The declared type the planner sees: JSON for objects and arrays (scalars mixed in are rewritten
   * as JSON first) and for any column rewritten as JSON, BOOLEAN for true/false only, NUMERIC when
   * some number is only exact as a literal; otherwise none, and the stored values decide as for any
   * SQLite column.
   */
  String declared(boolean scalarsRewrittenAsJson) {
    if (fixedDeclared != null) {
      return fixedDeclared;
    }
    if (scalarsRewrittenAsJson) {
      return "JSON";
    }
    if (containers > 0 && !holdsContainersAndScalars()) {
      return "JSON";
    }
    if (booleans > 0 && integers + reals + exactNumbers + strings + containers == 0) {
      return "BOOLEAN";
    }
    if (exactNumbers > 0 && booleans + strings + containers == 0) {
      return "NUMERIC";
    }
    return "";
  }
}
