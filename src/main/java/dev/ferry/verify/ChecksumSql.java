package dev.ferry.verify;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.sql.SqlText;
import dev.ferry.value.TableChecksum;
import java.util.List;

/**
 * The server side of verification: the row hash (the XOR of each field's seeded PostgreSQL hash;
 * target.RowHasher computes the same from the source) summed over a table, and the canonical field
 * encoding that keys rows in the row-by-row comparison.
 */
final class ChecksumSql {
  private ChecksumSql() {}

  /**
   * The canonical encoding (bytea) of the fields at {@code positions} of the loaded columns: each
   * through its type's send function, length-prefixed, NULL as -1, over a relation that has each
   * variable-length column's send() output as {@code s_<i>} (see {@link #sends}). Used to key rows
   * in the row-by-row comparison.
   */
  static String fieldBytes(List<ColumnPlan> columns, int[] positions) {
    if (positions.length == 0) {
      return "'\\x'::bytea";
    }
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < positions.length; k++) {
      int i = positions[k];
      if (k > 0) {
        b.append(" || ");
      }
      ColumnPlan c = columns.get(i);
      int fixed = fixedLength(c);
      String field =
          fixed > 0
              ? String.format("'\\x%08x'::bytea || %s(%s)", fixed, send(c), SqlText.ident(c.name()))
              : "int4send(octet_length(s_" + i + ")) || s_" + i;
      b.append("coalesce(").append(field).append(", '\\xffffffff'::bytea)");
    }
    return b.toString();
  }

  /** The table with the send() output of each variable-length column as s_<i>. */
  static String sends(TablePlan t) {
    return sends(t, null);
  }

  /** {@link #sends(TablePlan)} over the rows matching {@code where} (SQL text, or null: all). */
  static String sends(TablePlan t, String where) {
    List<ColumnPlan> columns = t.loadedColumns();
    StringBuilder b = new StringBuilder("(SELECT *");
    for (int i = 0; i < columns.size(); i++) {
      if (fixedLength(columns.get(i)) == 0) {
        b.append(", ")
            .append(send(columns.get(i)))
            .append('(')
            .append(SqlText.ident(columns.get(i).name()))
            .append(") AS s_")
            .append(i);
      }
    }
    b.append(" FROM ").append(t.qualified());
    if (where != null) {
      b.append(" WHERE ").append(where);
    }
    return b.append(") AS r").toString();
  }

  /**
   * The expression of one row's 64-bit hash (bigint): the XOR of each loaded column's seeded
   * PostgreSQL hash (seed = position + 1; NULL = a constant per position). target.RowHasher
   * computes the same from the encoded source row with value.PgHash.
   */
  static String rowHash(List<ColumnPlan> columns) {
    if (columns.isEmpty()) {
      return "0::bigint";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        b.append(" # ");
      }
      b.append("coalesce(")
          .append(fieldHash(columns.get(i), i + 1))
          .append(", ")
          .append(TableChecksum.nullHash(i))
          .append("::bigint)");
    }
    return b.append(")").toString();
  }

  private static String fieldHash(ColumnPlan c, long seed) {
    String col = SqlText.ident(c.name());
    return switch (c.type().kind()) {
      case BOOLEAN -> "hashint4extended(" + col + "::int, " + seed + ")";
      case SMALLINT -> "hashint2extended(" + col + ", " + seed + ")";
      case INTEGER -> "hashint4extended(" + col + ", " + seed + ")";
      case BIGINT -> "hashint8extended(" + col + ", " + seed + ")";
      case DOUBLE -> "hashfloat8extended(" + col + ", " + seed + ")";
      case TIMESTAMPTZ -> "timestamp_hash_extended(" + col + " AT TIME ZONE 'UTC', " + seed + ")";
      case DATE -> "hashint4extended(" + col + " - DATE '2000-01-01', " + seed + ")";
      case TEXT -> "hashtextextended(" + col + ", " + seed + ")";
      case BYTEA -> "hashtextextended(encode(" + col + ", 'hex'), " + seed + ")";
      case NUMERIC, VARCHAR, JSONB -> "hashtextextended(" + col + "::text, " + seed + ")";
    };
  }

  /** SELECT count(*), sum(row hash) over the table. */
  static String table(TablePlan t) {
    return "SELECT count(*), coalesce(sum("
        + rowHash(t.loadedColumns())
        + "), 0) FROM "
        + t.qualified();
  }

  private static int fixedLength(ColumnPlan c) {
    return switch (c.type().kind()) {
      case BOOLEAN -> 1;
      case SMALLINT -> 2;
      case INTEGER, DATE -> 4;
      case BIGINT, DOUBLE, TIMESTAMPTZ -> 8;
      default -> 0;
    };
  }

  private static String send(ColumnPlan c) {
    return switch (c.type().kind()) {
      case BOOLEAN -> "boolsend";
      case SMALLINT -> "int2send";
      case INTEGER -> "int4send";
      case BIGINT -> "int8send";
      case DOUBLE -> "float8send";
      case NUMERIC -> "numeric_send";
      case TEXT -> "textsend";
      case VARCHAR -> "varcharsend";
      case JSONB -> "jsonb_send";
      case TIMESTAMPTZ -> "timestamptz_send";
      case DATE -> "date_send";
      case BYTEA -> "byteasend";
    };
  }
}
