package dev.ferry.map;

import dev.ferry.sql.SqlText;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A COPY in text format through a fixed buffer: each row's fields escaped by {@link
 * SqlText#copyText}, joined by tabs. Memory is the buffer, whatever the table's size.
 */
final class TextCopy implements AutoCloseable {
  private static final int SIZE = 1 << 20;

  private final CopyIn copy;
  private final StringBuilder buf = new StringBuilder(SIZE);
  private long bytes;
  private boolean done;

  TextCopy(Connection c, String copySql) throws SQLException {
    this.copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
  }

  void row(String[] fields) throws SQLException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        buf.append('\t');
      }
      buf.append(SqlText.copyText(fields[i]));
    }
    buf.append('\n');
    if (buf.length() >= SIZE) {
      flush();
    }
  }

  /** One row of {@code fields} and then {@code number}, a last column numbering the rows. */
  void row(String[] fields, long number) throws SQLException {
    for (String f : fields) {
      buf.append(SqlText.copyText(f)).append('\t');
    }
    buf.append(number).append('\n');
    if (buf.length() >= SIZE) {
      flush();
    }
  }

  /** Ends the COPY; returns the rows the server stored. */
  long finish() throws SQLException {
    flush();
    done = true;
    return copy.endCopy();
  }

  long bytes() {
    return bytes + buf.length();
  }

  private void flush() throws SQLException {
    if (buf.length() > 0) {
      byte[] b = buf.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(b, 0, b.length);
      bytes += b.length;
      buf.setLength(0);
    }
  }

  @Override
  public void close() throws SQLException {
    if (!done && copy.isActive()) {
      copy.cancelCopy();
    }
  }
}
