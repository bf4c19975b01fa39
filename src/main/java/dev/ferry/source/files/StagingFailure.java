package dev.ferry.source.files;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.SqliteErrors;
import java.sql.SQLException;

/**
 * What a failure of the staging database means. A full disk, an I/O error, a directory Ferry may
 * not write or a staging file another process holds is the user's to fix: SOURCE_UNREADABLE (exit
 * 2) naming what was being staged. Anything else is a statement of Ferry's that SQLite refused:
 * INTERNAL (exit 70).
 */
final class StagingFailure {
  private StagingFailure() {}

  /**
   * @param what the input (file, or table and column) being staged, as the user knows it
   */
  static FerryException of(String what, SQLException e) {
    return switch (SqliteErrors.of(e)) {
      case STORAGE ->
          new FerryException(
              ErrorCode.SOURCE_UNREADABLE,
              what
                  + ": cannot stage it: "
                  + e.getMessage()
                  + " (free space where it is staged, or choose another --staging-dir)",
              e);
      case BUSY, DAMAGED ->
          new FerryException(
              ErrorCode.SOURCE_UNREADABLE, what + ": cannot stage it: " + e.getMessage(), e);
      case OTHER ->
          new FerryException(ErrorCode.INTERNAL, what + ": staging failed: " + e.getMessage(), e);
    };
  }
}
