package dev.ferry.source.sqlite;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.sql.SqlText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A SQLite database file opened read-only: the package's entry point. Reads the schema and opens
 * row cursors; each cursor has its own connection so tables can be read in parallel.
 *
 * <p>A user's database ({@link #open}) is read as it is: every table in it is the user's, whatever
 * its name, {@code _ferry_columns} included. Only a database Ferry staged from JSON and text files
 * in this invocation ({@link #openStaged}: the caller that staged it says so, nothing in the file
 * can) has Ferry's own {@code _ferry_*} tables, whose column hints ({@link StagedColumns}) are
 * applied and which are not migrated.
 */
public final class SqliteSource implements Source {
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final Path file;
  private final boolean staged;

  private SqliteSource(Path file, boolean staged) {
    this.file = file;
    this.staged = staged;
  }

  /**
   * Opens {@code file}, checking that it exists and really is a readable SQLite database.
   *
   * @throws FerryException SOURCE_UNREADABLE naming the file and what is wrong with it
   */
  public static SqliteSource open(Path file) {
    return open(file, false);
  }

  /**
   * Opens a database that Ferry's staging (source.files) wrote from JSON and text files, or a copy
   * of one: its {@code _ferry_*} tables are Ferry's, and their column hints apply. Only the code
   * that staged the file (or reopens a run that read it) may call this; a user's file, whatever
   * tables it holds, is opened with {@link #open}.
   *
   * @throws FerryException SOURCE_UNREADABLE naming the file and what is wrong with it
   */
  public static SqliteSource openStaged(Path file) {
    return open(file, true);
  }

  /** Opens {@code copy} (a snapshot of this source) the way this source was opened. */
  public SqliteSource reopen(Path copy) {
    return open(copy, staged);
  }

  /** True when this is a database Ferry staged ({@link #openStaged}). */
  public boolean staged() {
    return staged;
  }

  private static SqliteSource open(Path file, boolean staged) {
    if (!Files.exists(file)) {
      throw new FerryException(ErrorCode.SOURCE_UNREADABLE, file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new FerryException(ErrorCode.SOURCE_UNREADABLE, file + ": not a readable file");
    }
    if (sizeOf(file) == 0) { // SQLite would open it as a new, empty database: "0 rows in 0 tables"
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE,
          file + ": the file is empty (0 bytes), not a database; is the path right?");
    }
    SqliteSource source = new SqliteSource(file.toAbsolutePath().normalize(), staged);
    try (Connection c = source.connect();
        var st = c.createStatement()) {
      st.executeQuery("SELECT count(*) FROM sqlite_master").close();
    } catch (SQLException e) {
      throw source.unreadable("cannot read the database", e);
    }
    return source;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE, file + ": cannot read: " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public String name() {
    return file.toString();
  }

  /**
   * Copies the database to {@code dest} with SQLite's online backup API: one consistent snapshot
   * even while an application writes to the file.
   */
  public void backupTo(Path dest) {
    try (Connection c = connect();
        var st = c.createStatement()) {
      st.executeUpdate("backup to " + dest.toAbsolutePath());
    } catch (SQLException e) {
      throw unreadable("cannot back up to " + dest, e);
    }
  }

  /** Reads every table, column, constraint, index, foreign key, view and trigger. */
  @Override
  public SourceSchema readSchema() {
    try (Connection c = connect()) {
      return new SqliteSchemaReader(file, c, staged).read();
    } catch (SQLException e) {
      throw unreadable("cannot read the schema", e);
    }
  }

  /** A cursor over {@code columns} of {@code table}, in storage (rowid or key) order. */
  @Override
  public RowCursor openRows(SourceTable table, List<SourceColumn> columns) {
    try {
      return new SqliteRowCursor(this, connect(), table, columns, Long.MIN_VALUE, Long.MAX_VALUE);
    } catch (SQLException e) {
      throw unreadable("cannot read table " + table.name(), e);
    }
  }

  /**
   * A cursor over the rows of {@code table} whose rowid lies in [{@code fromRowid}, {@code
   * toRowid}]: lets one big table be read by several threads.
   */
  @Override
  public RowCursor openRows(
      SourceTable table, List<SourceColumn> columns, long fromRowid, long toRowid) {
    try {
      return new SqliteRowCursor(this, connect(), table, columns, fromRowid, toRowid);
    } catch (SQLException e) {
      throw unreadable("cannot read table " + table.name(), e);
    }
  }

  /** The smallest and largest rowid of a rowid table (long[0] when empty or WITHOUT ROWID). */
  @Override
  public long[] rowidRange(SourceTable table) {
    if (table.withoutRowid()) {
      return new long[0];
    }
    try (Connection c = connect();
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT min(_rowid_), max(_rowid_) FROM " + SqlText.ident(table.name()))) {
      rs.next();
      return rs.getObject(1) == null ? new long[0] : new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (SQLException e) {
      throw unreadable("cannot read table " + table.name(), e);
    }
  }

  Connection connect() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /** Maps a SQLite error to a message a user can act on, naming the file. */
  FerryException unreadable(String what, SQLException e) {
    String m = String.valueOf(e.getMessage());
    String why;
    if (m.contains("SQLITE_NOTADB")) {
      why = "not a SQLite database (the file header is wrong)";
    } else if (m.contains("SQLITE_CORRUPT")) {
      why = "the database file is corrupt (" + m + "); try `sqlite3 FILE .recover`";
    } else if (m.contains("SQLITE_BUSY") || m.contains("locked")) {
      why =
          "the database is locked by another process (waited "
              + BUSY_TIMEOUT_MS / 1000
              + " s); stop the writer or retry";
    } else if (m.contains("SQLITE_CANTOPEN")) {
      why = "cannot open the file (permissions, or its directory is not writable for a WAL file)";
    } else {
      why = m;
    }
    return new FerryException(ErrorCode.SOURCE_UNREADABLE, file + ": " + what + ": " + why, e);
  }
}
