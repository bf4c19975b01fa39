package dev.ferry.sql;

/**
 * The one place that turns names and values into SQL text. PostgreSQL and SQLite quote identifiers
 * and string literals the same way (double quotes, single quotes, doubled to escape), so both sides
 * use this class. Anything user-controlled that is not bound as a parameter goes through here.
 */
public final class SqlText {
  private SqlText() {}

  /** {@code name} as a quoted identifier: {@code "a""b"}. */
  public static String ident(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code schema.name}, both quoted. */
  public static String qualified(String schema, String name) {
    return ident(schema) + '.' + ident(name);
  }

  /**
   * What every PostgreSQL session of Ferry's runs first, so that {@link #literal} means the same
   * text on any server: a database or role with {@code standard_conforming_strings = off} would
   * otherwise read a backslash in a literal as an escape (and a value ending in one could end the
   * literal early).
   */
  public static final String SESSION_SETUP = "SET standard_conforming_strings = on";

  /**
   * {@code value} as a standard string literal: {@code 'it''s'}. PostgreSQL keeps backslashes
   * literal (standard_conforming_strings is on since 9.1, and {@link #SESSION_SETUP} makes sure of
   * it), SQLite always does. A NUL cannot appear in either's text and is refused.
   */
  public static String literal(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL character cannot appear in an SQL literal");
    }
    return '\'' + value.replace("'", "''") + '\'';
  }

  /**
   * {@code value} as one field of COPY's text format: backslash, tab, newline and carriage return
   * escaped so the field cannot end early; null is {@code \N}. Fields are joined by tabs, rows end
   * with a newline.
   */
  public static String copyText(String value) {
    if (value == null) {
      return "\\N";
    }
    return value
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }
}
