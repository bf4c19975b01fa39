package dev.ferry.target;

import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's binary COPY format written into a fixed buffer that is flushed to the server when
 * full: memory per table load is the buffer, whatever the table's size.
 */
final class CopyBuffer {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  private final CopyIn copy;
  private final byte[] buf;
  private int pos;
  private long bytes;

  CopyBuffer(CopyIn copy, int size) {
    this.copy = copy;
    this.buf = new byte[size];
  }

  void header() throws SQLException {
    write(SIGNATURE, 0, SIGNATURE.length);
    int32(0); // flags
    int32(0); // header extension length
  }

  void trailer() throws SQLException {
    int16(-1);
    flush();
  }

  void int16(int v) throws SQLException {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void int32(int v) throws SQLException {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void int64(long v) throws SQLException {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  void int8(int v) throws SQLException {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  void write(byte[] b, int off, int len) throws SQLException {
    if (len > buf.length - pos) {
      flush();
      if (len > buf.length) {
        copy.writeToCopy(b, off, len);
        bytes += len;
        return;
      }
    }
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** A field: its length, then its bytes. */
  void field(byte[] b) throws SQLException {
    int32(b.length);
    write(b, 0, b.length);
  }

  void nullField() throws SQLException {
    int32(-1);
  }

  private void ensure(int n) throws SQLException {
    if (buf.length - pos < n) {
      flush();
    }
  }

  void flush() throws SQLException {
    if (pos > 0) {
      copy.writeToCopy(buf, 0, pos);
      bytes += pos;
      pos = 0;
    }
  }

  /** Bytes sent to the server so far. */
  long bytes() {
    return bytes + pos;
  }
}
