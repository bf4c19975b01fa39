package dev.ferry.source.files;

import java.io.IOException;
import java.io.InputStream;

/** Lines of a file as byte ranges, without decoding: NDJSON is parsed from the bytes. */
final class LineReader implements AutoCloseable {
  private final InputStream in;
  private byte[] buf = new byte[1 << 20];
  private int start;
  private int end;
  private boolean eof;
  byte[] line;
  int from;
  int length;
  long number;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line (without its \n or \r\n); false at the end. */
  boolean next() throws IOException {
    while (true) {
      for (int i = start; i < end; i++) {
        if (buf[i] == '\n') {
          set(start, i);
          start = i + 1;
          return true;
        }
      }
      if (eof) {
        if (start < end) {
          set(start, end);
          start = end;
          return true;
        }
        return false;
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }
  }

  private void set(int s, int e) {
    if (e > s && buf[e - 1] == '\r') {
      e--;
    }
    line = buf;
    from = s;
    length = e - s;
    number++;
  }

  boolean blank() {
    for (int i = from; i < from + length; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
