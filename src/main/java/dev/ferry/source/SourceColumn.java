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
 * @param plainJson true when every stored text of the column is JSON that staging (source.files)
 *     generated itself and saw to be plain: well-formed, valid UTF-8, without a repeated key or
 *     U+0000, within the JSON parser's limits; the planner takes such a text as JSON without
 *     reading it again. False for every column of an ordinary SQLite file.
 * @param docField the top-level field of the table's {@code doc} column that this column holds
 *     exactly in every row (its object or array as a slice of the doc's text; NULL where the field
 *     is JSON null or missing), as staging (source.files) recorded it; null for every other column
 *     and for every column of an ordinary SQLite file
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
    boolean rowidAlias,
    boolean plainJson,
    String docField) {

  /**
   * The column in which a staged file store keeps each record's whole document (JSON), and whose
   * top-level fields {@link #docField} names.
   */
  public static final String DOC = "doc";

  /** A column of a source whose JSON texts may be plain, none of them a field of a doc. */
  public SourceColumn(
      String name,
      String declaredType,
      boolean notNull,
      String defaultSql,
      int primaryKeyOrdinal,
      String collation,
      String generatedSql,
      boolean generatedStored,
      boolean rowidAlias,
      boolean plainJson) {
    this(
        name,
        declaredType,
        notNull,
        defaultSql,
        primaryKeyOrdinal,
        collation,
        generatedSql,
        generatedStored,
        rowidAlias,
        plainJson,
        null);
  }

  /** A column of an ordinary source: nothing is known of its values before they are read. */
  public SourceColumn(
      String name,
      String declaredType,
      boolean notNull,
      String defaultSql,
      int primaryKeyOrdinal,
      String collation,
      String generatedSql,
      boolean generatedStored,
      boolean rowidAlias) {
    this(
        name,
        declaredType,
        notNull,
        defaultSql,
        primaryKeyOrdinal,
        collation,
        generatedSql,
        generatedStored,
        rowidAlias,
        false);
  }

  public boolean isGenerated() {
    return generatedSql != null;
  }
}
