package dev.ferry.sync;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * A stand-in application: writes to its SQLite file at a steady rate (inserts, updates including
 * NULL↔value, deletes, INSERT OR REPLACE through the secondary UNIQUE, multi-statement
 * transactions) until a write is refused or its time is up. Prints REFUSED and the message when
 * refused, and the slowest write's milliseconds at the end.
 *
 * <p>Arguments: the file, writes per second, seconds, random seed.
 */
public final class AppWriter {
  private AppWriter() {}

  public static void main(String[] args) throws Exception {
    String db = args[0];
    int rate = Integer.parseInt(args[1]);
    long until = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
    Random random = new Random(Long.parseLong(args[3]));
    long slowest = 0;
    long writes = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 20000");
      st.execute("PRAGMA foreign_keys = ON");
      while (System.currentTimeMillis() < until) {
        long t = System.nanoTime();
        try {
          write(c, random);
        } catch (SQLException e) {
          if (String.valueOf(e.getMessage()).contains("moved to PostgreSQL")) {
            System.out.println("REFUSED " + e.getMessage());
            break;
          }
          throw e;
        }
        writes++;
        slowest = Math.max(slowest, (System.nanoTime() - t) / 1_000_000);
        Thread.sleep(Math.max(0, 1000 / rate - (System.nanoTime() - t) / 1_000_000));
      }
    }
    System.out.println("WRITES " + writes + " SLOWEST_MS " + slowest);
  }

  private static void write(Connection c, Random r) throws SQLException {
    int id = 1 + r.nextInt(3000);
    switch (r.nextInt(6)) {
      case 0 ->
          exec(
              c,
              "INSERT OR IGNORE INTO item (id, sku, qty, note) VALUES (?, ?, ?, ?)",
              id,
              "sku-" + id,
              r.nextInt(100),
              r.nextBoolean() ? null : "n" + r.nextInt(9));
      case 1 ->
          exec(
              c,
              "UPDATE item SET note = CASE WHEN note IS NULL THEN ? END, qty = qty + 1 WHERE id = ?",
              "set " + r.nextInt(9),
              id);
      case 2 -> exec(c, "DELETE FROM item WHERE id = ?", id);
      case 3 ->
          exec(
              c,
              "INSERT OR REPLACE INTO item (id, sku, qty, note) VALUES (?, ?, ?, NULL)",
              3000 + r.nextInt(3000),
              "sku-" + id,
              r.nextInt(100));
      case 4 -> {
        c.setAutoCommit(false);
        try {
          exec(
              c,
              "INSERT OR IGNORE INTO item (id, sku, qty, note) VALUES (?, ?, 0, 'tx')",
              id,
              "tx-" + id + "-" + r.nextInt(1000));
          exec(c, "INSERT INTO event (item_id, what) VALUES (?, 'tx')", id);
          exec(c, "UPDATE item SET qty = qty * 2 WHERE id = ?", 1 + r.nextInt(3000));
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      }
      default ->
          exec(
              c,
              "INSERT INTO event (item_id, what) VALUES (?, ?)",
              id,
              r.nextBoolean() ? null : "seen");
    }
  }

  private static void exec(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }
}
