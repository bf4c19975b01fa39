package dev.ferry.source;

import java.sql.SQLException;

/**
 * The one classification of SQLite's result codes (https://sqlite.org/rescode.html) that Ferry acts
 * on, for the files it reads (source.sqlite) and the staging databases it writes (source.files).
 * sqlite-jdbc puts the (extended) result code in {@link SQLException#getErrorCode()}; the primary
 * code is its low byte.
 */
public final class SqliteErrors {
  /** What a failed SQLite call means for the user. */
  public enum Kind {
    /** The disk or file system: full, I/O error, no permission, cannot open, read-only. */
    STORAGE,
    /** Another process holds a lock past the busy timeout. */
    BUSY,
    /** The file is not a database, or is corrupt. */
    DAMAGED,
    /** Anything else (SQL error, constraint, misuse): Ferry's statement is wrong. */
    OTHER
  }

  private static final int PERM = 3;
  private static final int BUSY = 5;
  private static final int LOCKED = 6;
  private static final int NOMEM = 7;
  private static final int READONLY = 8;
  private static final int IOERR = 10;
  private static final int CORRUPT = 11;
  private static final int FULL = 13;
  private static final int CANTOPEN = 14;
  private static final int NOTADB = 26;

  private SqliteErrors() {}

  /** The kind of the first SQLite failure in {@code e} or its causes. */
  public static Kind of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() != 0) {
        return of(s.getErrorCode());
      }
    }
    return Kind.OTHER;
  }

  /** The kind of one (primary or extended) result code. */
  public static Kind of(int resultCode) {
    return switch (resultCode & 0xff) {
      case PERM, NOMEM, READONLY, IOERR, FULL, CANTOPEN -> Kind.STORAGE;
      case BUSY, LOCKED -> Kind.BUSY;
      case CORRUPT, NOTADB -> Kind.DAMAGED;
      default -> Kind.OTHER;
    };
  }
}
