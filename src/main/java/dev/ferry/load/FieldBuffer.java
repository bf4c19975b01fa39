package dev.ferry.load;

import java.util.Arrays;

/** One row's COPY fields in PostgreSQL's binary format, in a buffer that grows as needed. */
final class FieldBuffer {
  private byte[] buf = new byte[1024];
  private int pos;

  void reset() {
    pos = 0;
  }

  /** Drops everything after {@code size} bytes. */
  void truncate(int size) {
    pos = size;
  }

  byte[] bytes() {
    return buf;
  }

  int size() {
    return pos;
  }

  private void ensure(int n) {
    if (buf.length - pos < n) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  void int8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  void int16(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void int32(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  void int64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** A field: its length, then its bytes. */
  void field(byte[] b) {
    int32(b.length);
    write(b, 0, b.length);
  }

  void nullField() {
    int32(-1);
  }
}
