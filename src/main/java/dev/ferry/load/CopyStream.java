package dev.ferry.load;

import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * A binary COPY to the server through a fixed staging buffer: memory per table load is the buffer
 * (plus one row), whatever the table's size.
 */
final class CopyStream {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  private final CopyIn copy;
  private final byte[] buf;
  private int pos;
  private long sent;

  CopyStream(CopyIn copy, int size) throws SQLException {
    this.copy = copy;
    this.buf = new byte[size];
    write(SIGNATURE, 0, SIGNATURE.length);
    write(new byte[8], 0, 8); // flags and header extension length: both zero
  }

  /** One tuple: the field count, then the row's fields. */
  void tuple(int fields, FieldBuffer row) throws SQLException {
    writeShort(fields);
    write(row.bytes(), 0, row.size());
  }

  /** The start of a tuple whose {@code fields} fields follow one by one ({@link #field}). */
  void tupleStart(int fields) throws SQLException {
    writeShort(fields);
  }

  /** One field of a tuple, already encoded (its length, then its bytes). */
  void field(byte[] b, int off, int len) throws SQLException {
    write(b, off, len);
  }

  /**
   * A field of {@code len} encoded bytes that the server computes instead (see {@link
   * FieldsFromDoc}): not sent, but counted in {@link #bytes}, so the table's bytes in reports and
   * checkpoints stay the size of the rows loaded, whichever way a column reached the server.
   */
  void computed(int len) {
    computed += len;
  }

  private long computed;

  /** The trailer; returns the number of rows the server stored. */
  long finish() throws SQLException {
    writeShort(0xffff);
    flush();
    return copy.endCopy();
  }

  private void write(byte[] b, int off, int len) throws SQLException {
    if (len > buf.length - pos) {
      flush();
      if (len > buf.length) {
        copy.writeToCopy(b, off, len);
        sent += len;
        return;
      }
    }
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** Two bytes, big-endian, straight into the buffer: once per row, so nothing is allocated. */
  private void writeShort(int v) throws SQLException {
    if (buf.length - pos < 2) {
      flush();
    }
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void flush() throws SQLException {
    if (pos > 0) {
      copy.writeToCopy(buf, 0, pos);
      sent += pos;
      pos = 0;
    }
  }

  /** Bytes of COPY data produced so far, with those of the fields the server computed. */
  long bytes() {
    return sent + pos + computed;
  }
}
