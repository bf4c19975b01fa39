package dev.ferry.source;

import java.util.List;

/**
 * An index, or the implicit index of a UNIQUE constraint.
 *
 * @param name index name (SQLite's sqlite_autoindex_* for constraint indexes)
 * @param unique UNIQUE
 * @param parts key parts in order
 * @param whereSql the partial-index WHERE expression as written, or null
 * @param fromConstraint true when the index backs a UNIQUE constraint of the table
 * @param constraintName the constraint's own name when it was declared with CONSTRAINT, else null
 */
public record SourceIndex(
    String name,
    boolean unique,
    List<Part> parts,
    String whereSql,
    boolean fromConstraint,
    String constraintName) {

  /**
   * One key part: a column or an expression.
   *
   * @param column column name, or null for an expression part
   * @param expressionSql the expression as written, or null for a column part
   * @param descending DESC
   * @param collation COLLATE name when given explicitly on the part (upper case), else null
   */
  public record Part(String column, String expressionSql, boolean descending, String collation) {}
}
