package dev.ferry.examples;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a SQLite database as dirty as real ones get: text in INTEGER columns, reals in INTEGER,
 * 'true' in BOOLEAN, epochs and garbage in DATETIME, NUL bytes and invalid UTF-8 in TEXT, JSON with
 * \u0000 or duplicate keys, invalid JSON in a mostly-JSON column, empty strings, huge integers,
 * orphaned foreign keys, values equal only after conversion under UNIQUE, a NULL primary key and a
 * row breaking its CHECK.
 */
public final class DirtyExample {
  private DirtyExample() {}

  public static void write(Path file, int rows) {
    if (Files.exists(file)) {
      throw new FerryException(
          ErrorCode.USAGE, file + " already exists; remove it or choose another name");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE items (id INTEGER PRIMARY KEY, priority INTEGER, score INTEGER, flag BOOLEAN,"
              + " created DATETIME, seen_at DATETIME, note TEXT, payload TEXT, meta TEXT, maybe_json TEXT, big INTEGER,"
              + " code TEXT UNIQUE)");
      st.execute("CREATE TABLE events (at DATETIME UNIQUE, kind TEXT)");
      st.execute(
          "CREATE TABLE accounts (code TEXT PRIMARY KEY, owner_id INTEGER REFERENCES items(id),"
              + " balance INTEGER CHECK (balance >= 0))");
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= rows; i++) {
          ps.setInt(1, i);
          ps.setObject(2, i == 7 ? "high" : (Object) (i % 500));
          ps.setObject(3, i == 9 ? 1.5 : (Object) (i * 10));
          ps.setObject(4, i == 11 ? "true" : i == 12 ? "no" : (Object) (i % 2));
          ps.setObject(
              5,
              i == 13
                  ? 1_700_000_000L
                  : i == 14 ? "not a date" : String.format("2024-01-%02d 10:00:00", 1 + i % 28));
          ps.setLong(6, 1_700_000_000L + i);
          if (i == 17) {
            ps.setBytes(7, "nul\0inside".getBytes(StandardCharsets.UTF_8));
          } else if (i == 18) {
            ps.setBytes(7, new byte[] {'b', 'a', 'd', (byte) 0xc3, '(', (byte) 0xff});
          } else {
            ps.setString(7, "note " + i);
          }
          ps.setString(
              8,
              i == 19
                  ? "{\"a\": \"x\\u0000y\"}"
                  : i == 20 ? "{\"k\": 1, \"k\": 2}" : "{\"n\": " + i + "}");
          ps.setString(9, i == 21 ? "{not json" : "{\"m\": [" + i + "]}");
          ps.setString(10, i % 10 == 0 ? "" : "[" + i + "]");
          ps.setObject(
              11, i == 23 ? (Object) 1.2345678901234568E29 : (Object) (Long.MAX_VALUE - i));
          ps.setString(12, "C" + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      // sqlite-jdbc binds bytes as BLOB: make the two bad texts TEXT, as an application writing raw
      // bytes would
      st.execute("UPDATE items SET note = CAST(note AS TEXT) WHERE id IN (17, 18)");
      st.execute(
          "INSERT INTO events VALUES ('2024-01-01 00:00:00', 'a'), ('2024-01-01T00:00:00Z', 'b'),"
              + " ('2024-01-02 00:00:00', 'c')");
      st.execute("INSERT INTO accounts VALUES ('A1', 1, 10), (NULL, 2, 5), ('A3', 999999, 7)");
      c.commit();
      st.execute("PRAGMA ignore_check_constraints = ON");
      st.execute("INSERT INTO accounts VALUES ('A4', 3, -50)");
      c.commit();
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
