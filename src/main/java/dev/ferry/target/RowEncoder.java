package dev.ferry.target;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.PgType;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.List;

/**
 * Encodes a source row as the fields of a binary COPY tuple and hashes its canonical encoding. The
 * canonical encoding of a row is the sequence of its loaded fields in PostgreSQL's binary send
 * format, each prefixed by its int32 length (-1 for NULL): exactly the COPY fields, except that a
 * jsonb field is PostgreSQL's canonical jsonb text (what jsonb_send returns) rather than the source
 * text. {@code verify.ChecksumSql} builds the same bytes on the server.
 */
public final class RowEncoder {
  private final ValueEncoder[] encoders;
  private final boolean[] jsonb;
  private final FieldBuffer row = new FieldBuffer();
  private final int[] fieldStart;
  private final MessageDigest md5;
  private int failed = -1;
  private RowHasher ownHasher;

  public RowEncoder(TablePlan table) {
    List<ColumnPlan> columns = table.loadedColumns();
    this.encoders = columns.stream().map(ValueEncoder::forColumn).toArray(ValueEncoder[]::new);
    this.jsonb = new boolean[columns.size()];
    for (int i = 0; i < jsonb.length; i++) {
      jsonb[i] = columns.get(i).type().kind() == PgType.Kind.JSONB;
    }
    this.fieldStart = new int[columns.size() + 1];
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }

  public int width() {
    return encoders.length;
  }

  /** Encodes the cursor's current row; a value that does not convert throws BadValue. */
  void encode(RowCursor cursor) {
    row.reset();
    for (int i = 0; i < encoders.length; i++) {
      fieldStart[i] = row.size();
      failed = i;
      encoders[i].write(cursor, i, row);
    }
    failed = -1;
    fieldStart[encoders.length] = row.size();
  }

  /** Writes the encoded row as one COPY tuple. */
  void writeTo(CopyStream out) throws SQLException {
    out.tuple(encoders.length, row);
  }

  /** The loaded column whose value failed in the last {@link #encode}, for messages. */
  int failedColumn() {
    return failed;
  }

  /** A hasher for this table's rows (one per thread). */
  RowHasher hasher() {
    return new RowHasher(jsonb);
  }

  /** The encoded row, for hashing elsewhere. */
  FieldBuffer row() {
    return row;
  }

  /**
   * The MD5 of the canonical encoding of the fields at {@code positions} (the key columns) of the
   * last encoded row, as hex: the server computes the same over the same columns.
   */
  public String keyHash(int[] positions) {
    for (int p : positions) {
      md5.update(row.bytes(), fieldStart[p], fieldStart[p + 1] - fieldStart[p]);
    }
    return java.util.HexFormat.of().formatHex(md5.digest());
  }

  /** Encodes and hashes the current row without loading it (for `ferry verify`). */
  public long encodeAndHash(RowCursor cursor) {
    encode(cursor);
    if (ownHasher == null) {
      ownHasher = hasher();
    }
    return ownHasher.hash(row.bytes(), 0, row.size());
  }

  private static byte[] jsonText(RowCursor cursor, int i) {
    return switch (cursor.type(i)) {
      case RowCursor.INTEGER ->
          Long.toString(cursor.longValue(i)).getBytes(StandardCharsets.US_ASCII);
      case RowCursor.REAL ->
          Double.toString(cursor.doubleValue(i)).getBytes(StandardCharsets.US_ASCII);
      default -> cursor.bytes(i);
    };
  }
}
