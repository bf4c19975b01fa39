package dev.ferry.source;

import java.nio.file.Path;
import java.util.List;

/**
 * Sees every row a staging source (source.files) stores, with each value exactly as SQLite stores
 * it, while it stores it: so the planner can profile a staged table without reading the staged copy
 * a second time (issue 12, "profile while staging"). Implemented by the planner's {@code
 * plan.StagedProfiles}; staging calls it on its writer thread, in the order the rows are stored.
 *
 * <p>What is seen is only ever a replacement for a pass over the staged copy, never a guess: a
 * table whose stored rows stop being exactly the rows seen (a row replaced or removed, a column
 * rewritten, a value SQLite would convert) is reported {@link Table#changed}, and a database whose
 * staging did not complete is never {@link Database#kept}; the planner then reads the copy.
 */
public interface StoredRows {
  /** Sees nothing: staging without a planner waiting for it. */
  StoredRows NONE = db -> Database.NONE;

  /** Staging starts writing the database it will keep at {@code db} once complete. */
  Database database(Path db);

  /** The rows of one staged database. */
  interface Database {
    Database NONE =
        new Database() {
          @Override
          public Table table(String name) {
            return Table.NONE;
          }

          @Override
          public void kept() {}
        };

    /** The watch of table {@code name}'s rows (called once per table, before its first row). */
    Table table(String name);

    /**
     * Staging completed and kept the database at its path: every row of every table was handed to
     * its {@link Table#stored} (or the table was reported changed).
     */
    void kept();
  }

  /** The rows of one staged table. */
  interface Table {
    Table NONE =
        new Table() {
          @Override
          public void stored(List<String> columns, Row row) {}

          @Override
          public void changed() {}
        };

    /**
     * A row was stored.
     *
     * @param columns the table's columns as of this row, in table order: a later row may have more
     *     (a column added after earlier rows, which hold NULL in it), never fewer or others
     * @param row its values, {@link Row#type} and the rest as a cursor over the stored row would
     *     give them
     */
    void stored(List<String> columns, Row row);

    /** The table no longer holds exactly the rows handed to {@link #stored}. */
    void changed();
  }

  /**
   * One stored row, read as a {@link RowCursor} positioned on it ({@link #next} is never called).
   */
  interface Row extends RowCursor {
    /**
     * Column {@code i} holds JSON text staging's generator wrote from a record it saw to be plain
     * (see {@link SourceColumn#plainJson}, which says the same of every text of a column).
     */
    boolean plainJson(int i);

    @Override
    default boolean next() {
      throw new UnsupportedOperationException("a stored row is one row");
    }

    @Override
    default long rowid() {
      return Long.MIN_VALUE;
    }

    @Override
    default String rowKey() {
      return "staged row";
    }

    @Override
    default void close() {}
  }
}
