package dev.ferry.source.sqlite;

import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceTable;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.SafeStmtPtr;

/**
 * Reads rows through sqlite-jdbc's statement pointer so each value keeps its storage class and TEXT
 * keeps its raw bytes (a String would hide invalid UTF-8): one native lock per row.
 */
final class SqliteRowCursor implements RowCursor {
  private static final byte[] EMPTY = new byte[0];

  private final SqliteSource source;
  private final Connection connection;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final SafeStmtPtr pointer;
  private final String table;
  private final int width;
  private final int keyIndex;
  private final int[] types;
  private final long[] longs;
  private final double[] doubles;
  private final byte[][] bytes;
  private long rowNumber;

  SqliteRowCursor(
      SqliteSource source,
      Connection connection,
      SourceTable table,
      List<SourceColumn> columns,
      long fromRowid,
      long toRowid)
      throws SQLException {
    this.source = source;
    this.connection = connection;
    this.table = table.name();
    this.width = columns.size();
    boolean hasRowid = !table.withoutRowid();
    String select =
        columns.stream().map(c -> SqlText.ident(c.name())).collect(Collectors.joining(", "));
    String sql =
        "SELECT "
            + (hasRowid ? "_rowid_" + (width > 0 ? ", " : "") : "")
            + select
            + " FROM "
            + SqlText.ident(table.name());
    boolean ranged = hasRowid && (fromRowid != Long.MIN_VALUE || toRowid != Long.MAX_VALUE);
    if (ranged) {
      sql += " WHERE _rowid_ BETWEEN ? AND ?";
    }
    try {
      this.statement = connection.prepareStatement(sql);
      if (ranged) {
        statement.setLong(1, fromRowid);
        statement.setLong(2, toRowid);
      }
      this.rows = statement.executeQuery();
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    this.pointer = ((CoreStatement) statement).pointer;
    this.keyIndex = hasRowid ? 0 : -1;
    int offset = hasRowid ? 1 : 0;
    this.types = new int[width + offset];
    this.longs = new long[width + offset];
    this.doubles = new double[width + offset];
    this.bytes = new byte[width + offset][];
  }

  @Override
  public boolean next() {
    try {
      if (!rows.next()) {
        return false;
      }
      rowNumber++;
      pointer.safeRunConsume(
          (db, p) -> {
            for (int i = 0; i < types.length; i++) {
              int t = db.column_type(p, i);
              switch (t) {
                case 1 -> {
                  types[i] = INTEGER;
                  longs[i] = db.column_long(p, i);
                }
                case 2 -> {
                  types[i] = REAL;
                  doubles[i] = db.column_double(p, i);
                }
                case 3, 4 -> {
                  types[i] = t == 3 ? TEXT : BLOB;
                  byte[] b = db.column_blob(p, i);
                  bytes[i] = b == null ? EMPTY : b;
                }
                default -> types[i] = NULL;
              }
            }
          });
      return true;
    } catch (SQLException e) {
      throw source.unreadable("cannot read table " + table + " after row " + rowNumber, e);
    }
  }

  private int at(int i) {
    return keyIndex < 0 ? i : i + 1;
  }

  @Override
  public int type(int i) {
    return types[at(i)];
  }

  @Override
  public long longValue(int i) {
    return longs[at(i)];
  }

  @Override
  public double doubleValue(int i) {
    return doubles[at(i)];
  }

  @Override
  public byte[] bytes(int i) {
    return bytes[at(i)];
  }

  @Override
  public long rowid() {
    return keyIndex < 0 ? Long.MIN_VALUE : longs[0];
  }

  @Override
  public String rowKey() {
    return keyIndex < 0 ? "row " + rowNumber : "rowid " + longs[0];
  }

  @Override
  public void close() {
    try (connection;
        statement;
        rows) {
      // closed by try-with-resources, in reverse order
    } catch (SQLException e) {
      // closing a read-only cursor cannot lose data; nothing to report
    }
  }
}
