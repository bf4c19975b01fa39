package dev.ferry.source;

/**
 * A column as the source declares it.
 *
 * @param name name as written in the source
 * @param declaredType declared type as written ("" when none: SQLite allows that)
 * @param notNull declared NOT NULL
 * @param defaultSql the DEFAULT clause's expression as written, or null
 * @param primaryKeyOrdinal 1-based position in the primary key, 0 when not part of it
 * @param collation declared COLLATE name (upper case), or null
 * @param generatedSql expression of a generated column, or null
 * @param generatedStored true for STORED, false for VIRTUAL generated columns
 * @param rowidAlias true for SQLite's INTEGER PRIMARY KEY (an alias of the rowid)
 */
public record SourceColumn(
    String name,
    String declaredType,
    boolean notNull,
    String defaultSql,
    int primaryKeyOrdinal,
    String collation,
    String generatedSql,
    boolean generatedStored,
    boolean rowidAlias) {

  public boolean isGenerated() {
    return generatedSql != null;
  }
}
