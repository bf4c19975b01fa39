package dev.ferry.plan;

import java.util.Map;
import java.util.Set;

/**
 * The words of SQLite's expression language that {@link ExpressionTranslator} carries over as they
 * are: keywords, and functions PostgreSQL has with the same meaning (renamed where its name
 * differs). Anything not listed here is translated by a rule, or makes the expression
 * untranslatable with a reason.
 */
final class SqliteVocabulary {
  private SqliteVocabulary() {}

  /** SQLite keywords an expression may contain, passed through as they are. */
  static final Set<String> KEYWORDS =
      Set.of(
          "AND",
          "OR",
          "NOT",
          "IN",
          "IS",
          "NULL",
          "BETWEEN",
          "CASE",
          "WHEN",
          "THEN",
          "ELSE",
          "END",
          "AS",
          "ESCAPE",
          "EXISTS",
          "SELECT",
          "FROM",
          "WHERE",
          "GROUP",
          "BY",
          "ORDER",
          "HAVING",
          "LIMIT",
          "OFFSET",
          "JOIN",
          "LEFT",
          "RIGHT",
          "INNER",
          "OUTER",
          "CROSS",
          "ON",
          "USING",
          "DISTINCT",
          "ALL",
          "UNION",
          "INTERSECT",
          "EXCEPT",
          "ASC",
          "DESC",
          "TRUE",
          "FALSE",
          "CURRENT_TIMESTAMP",
          "CURRENT_DATE",
          "CURRENT_TIME",
          "NATURAL",
          "WITH",
          "RECURSIVE",
          "VALUES",
          "FULL",
          "NULLS",
          "FIRST",
          "LAST",
          "FILTER",
          "OVER",
          "PARTITION",
          "ROWS",
          "RANGE",
          "PRECEDING",
          "FOLLOWING",
          "UNBOUNDED",
          "CURRENT",
          "ROW");

  /** SQLite functions PostgreSQL has with the same meaning: their PostgreSQL name. */
  static final Map<String, String> SAME_OR_RENAMED =
      Map.ofEntries(
          Map.entry("ABS", "abs"),
          Map.entry("COALESCE", "coalesce"),
          Map.entry("IFNULL", "coalesce"),
          Map.entry("NULLIF", "nullif"),
          Map.entry("LOWER", "lower"),
          Map.entry("UPPER", "upper"),
          Map.entry("LENGTH", "length"),
          Map.entry("TRIM", "trim"),
          Map.entry("LTRIM", "ltrim"),
          Map.entry("RTRIM", "rtrim"),
          Map.entry("REPLACE", "replace"),
          Map.entry("ROUND", "round"),
          Map.entry("SUBSTR", "substr"),
          Map.entry("SUBSTRING", "substr"),
          Map.entry("INSTR", "strpos"),
          Map.entry("COUNT", "count"),
          Map.entry("SUM", "sum"),
          Map.entry("TOTAL", "sum"),
          Map.entry("AVG", "avg"),
          Map.entry("RANDOM", "random"),
          Map.entry("ROW_NUMBER", "row_number"),
          Map.entry("RANK", "rank"),
          Map.entry("DENSE_RANK", "dense_rank"));
}
