package dev.ferry.plan;

/**
 * An expression carried to PostgreSQL, or the reason it could not be.
 *
 * @param sql the PostgreSQL expression, or null when untranslatable
 * @param problem why it could not be translated, or null
 */
record Translation(String sql, String problem) {
  static Translation ok(String sql) {
    return new Translation(sql, null);
  }

  static Translation fail(String problem) {
    return new Translation(null, problem);
  }

  boolean ok() {
    return sql != null;
  }
}
