package dev.ferry.sync;

import static dev.ferry.sql.SqlText.ident;
import static dev.ferry.sql.SqlText.literal;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceIndex;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SyncCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.sqlite.SQLiteConfig;

/**
 * The capture objects Ferry puts into the application's SQLite file, named and recognized as {@link
 * SyncCapture} defines them (so a migration leaves them out, and the application's own {@code
 * _ferry_…} objects are migrated, followed and kept), all removed by {@link #remove}:
 *
 * <ul>
 *   <li>{@code _ferry_changes(seq, tbl, op, key, old_key, at)}: one row per written row, holding
 *       only its key (each key column as an SQL literal made by SQLite's {@code quote()}, joined by
 *       commas: a VALUES list as it stands). SQLite has one writer at a time, so seq is commit
 *       order. The last row is never pruned, so seq never goes back even without AUTOINCREMENT.
 *   <li>three AFTER triggers per table writing it (an UPDATE that changes the key logs the old key
 *       too, compared with IS NOT so that NULL↔value counts as a change);
 *   <li>{@code _ferry_guard(applying)}: 1 only inside Ferry's own write transactions, so the
 *       triggers skip Ferry's writes (no loop) and the refusal triggers let them through;
 *   <li>{@code _ferry_sync(k, v)}: state, schema fingerprint and start position;
 *   <li>after cutover, BEFORE triggers refusing the application's writes.
 * </ul>
 */
final class Capture {
  static final String CHANGES = "_ferry_changes";
  private static final String NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
  private static final String NOT_FERRY = "(SELECT applying FROM _ferry_guard) = 0";

  private Capture() {}

  /** A read-write connection to the application's file; {@code busyMs} is how long to wait. */
  static Connection open(Path file, int busyMs) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(busyMs);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /**
   * Refuses a file not in WAL mode: in rollback-journal mode the initial copy's one long read (and
   * SQLite's online backup) makes every write of the application fail with SQLITE_BUSY or wait.
   */
  static void requireWal(Connection c, Path file) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      String mode = rs.next() ? rs.getString(1) : "?";
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new FerryException(
            ErrorCode.USAGE,
            file
                + " is in journal_mode="
                + mode
                + ": the initial copy is one long read, which in this mode blocks every write of"
                + " your application until it ends. Switch the file to WAL once (it stays so; the"
                + " application needs no change): sqlite3 "
                + file
                + " 'PRAGMA journal_mode=WAL', then run ferry sync start again");
      }
    }
  }

  /** True when the capture objects are in the file. */
  static boolean installed(Connection c) throws SQLException {
    return exists(c, "_ferry_sync");
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Creates the changelog, guard, state table and triggers in one write transaction (it waits for
   * the application's write lock within the connection's busy timeout), records the start position
   * and the schema fingerprint.
   */
  static void install(Connection c, List<SourceTable> tables) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        refuseTakenNames(c, tables);
        st.execute(
            "CREATE TABLE IF NOT EXISTS _ferry_changes (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL,"
                + " op TEXT NOT NULL, key TEXT, old_key TEXT, at INTEGER NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS _ferry_guard (applying INTEGER NOT NULL)");
        st.execute(
            "INSERT INTO _ferry_guard SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM _ferry_guard)");
        st.execute("CREATE TABLE IF NOT EXISTS _ferry_sync (k TEXT PRIMARY KEY, v TEXT)");
        for (SourceTable t : tables) {
          for (String trigger : triggers(t)) {
            st.execute(trigger);
          }
        }
        put(c, "start_seq", Long.toString(maxSeq(c)));
        put(c, "installed_at", java.time.Instant.now().toString());
        put(c, "capture_id", java.util.UUID.randomUUID().toString());
        put(c, "fingerprint", fingerprint(c));
        put(c, "state", "copying");
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  /**
   * Refuses to install over the application's own objects that hold a name the capture needs (the
   * file has no capture yet, so every such object is the application's): {@code IF NOT EXISTS}
   * would silently adopt its table, or leave a table without its capture or refusal trigger, and
   * {@code sync stop} would later drop that table.
   */
  private static void refuseTakenNames(Connection c, List<SourceTable> tables) throws SQLException {
    Set<String> needed = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    needed.addAll(SyncCapture.TABLES);
    tables.forEach(t -> needed.addAll(SyncCapture.triggerNames(t.name())));
    List<String> taken = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT type, name FROM sqlite_master ORDER BY rowid")) {
      while (rs.next()) {
        if (needed.contains(rs.getString(2))) {
          taken.add(rs.getString(1) + " " + rs.getString(2));
        }
      }
    }
    if (!taken.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          fileName(c)
              + " has its own "
              + String.join(", ", taken)
              + ": ferry sync's change capture needs "
              + (taken.size() == 1 ? "that name" : "those names")
              + " for its own objects; rename "
              + (taken.size() == 1 ? "it" : "them")
              + ", then run ferry sync start again");
    }
  }

  /** The path of the file {@code c} is open on, for messages. */
  private static String fileName(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT file FROM pragma_database_list WHERE name = 'main'")) {
      return rs.next() && rs.getString(1) != null ? rs.getString(1) : "the SQLite file";
    }
  }

  /**
   * The capture triggers of one table: three AFTER triggers logging the written key, and for a
   * table with a secondary UNIQUE index two BEFORE triggers ({@link #displaced}).
   */
  static List<String> triggers(SourceTable t) {
    List<String> all = new ArrayList<>(written(t));
    all.addAll(displaced(t));
    return all;
  }

  /**
   * {@code INSERT OR REPLACE} (and {@code UPDATE OR REPLACE}) deletes the rows that hold the new
   * row's unique values without firing their delete trigger (unless the application enables
   * recursive_triggers). These BEFORE triggers log the keys of the rows holding NEW's values of
   * every secondary UNIQUE index (plain columns) under another key: the applier re-reads them, and
   * deletes them when SQLite no longer has them. A write that then fails or is ignored logs a key
   * whose row did not change, which re-reading makes harmless.
   */
  static List<String> displaced(SourceTable t) {
    List<SourceColumn> key = t.primaryKey();
    Set<String> keyNames =
        key.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<List<String>> uniques = new ArrayList<>();
    for (SourceIndex i : t.indexes()) {
      List<String> columns = i.parts().stream().map(SourceIndex.Part::column).toList();
      if (!i.unique() || columns.contains(null)) {
        continue; // expression parts: a documented limit (the unique-violation re-read remains)
      }
      Set<String> names =
          columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
      if (!names.equals(keyNames)) {
        uniques.add(columns);
      }
    }
    if (uniques.isEmpty() || key.isEmpty()) {
      return List.of();
    }
    String sameKey =
        key.stream()
            .map(k -> "x." + ident(k.name()) + " IS NEW." + ident(k.name()))
            .collect(Collectors.joining(" AND "));
    StringBuilder body = new StringBuilder();
    Set<String> changedColumns = new java.util.LinkedHashSet<>();
    for (List<String> unique : uniques) {
      changedColumns.addAll(unique);
      body.append("INSERT INTO _ferry_changes (tbl, op, key, old_key, at) SELECT ")
          .append(literal(t.name()))
          .append(", 'R', ")
          .append(keyText(key, "x"))
          .append(", NULL, ")
          .append(NOW_MS)
          .append(" FROM ")
          .append(ident(t.name()))
          .append(" x WHERE ")
          .append(
              unique.stream()
                  .map(u -> "x." + ident(u) + " = NEW." + ident(u))
                  .collect(Collectors.joining(" AND ")))
          .append(" AND NOT (")
          .append(sameKey)
          .append("); ");
    }
    String changed =
        changedColumns.stream()
            .map(u -> "NEW." + ident(u) + " IS NOT OLD." + ident(u))
            .collect(Collectors.joining(" OR "));
    return List.of(
        displacedTrigger(t, "rins", "BEFORE INSERT", NOT_FERRY) + body + "END",
        displacedTrigger(t, "rupd", "BEFORE UPDATE", NOT_FERRY + " AND (" + changed + ")")
            + body
            + "END");
  }

  private static String displacedTrigger(SourceTable t, String suffix, String when, String cond) {
    return "CREATE TRIGGER IF NOT EXISTS "
        + ident(SyncCapture.triggerName(t.name(), suffix))
        + " "
        + when
        + " ON "
        + ident(t.name())
        + " WHEN "
        + cond
        + " BEGIN ";
  }

  /** The three AFTER triggers logging the key of every written row. */
  private static List<String> written(SourceTable t) {
    List<SourceColumn> key = t.primaryKey();
    String table = t.name();
    String insert = "INSERT INTO _ferry_changes (tbl, op, key, old_key, at) VALUES (";
    String changed =
        key.stream()
            .map(k -> "NEW." + ident(k.name()) + " IS NOT OLD." + ident(k.name()))
            .collect(Collectors.joining(" OR "));
    return List.of(
        trigger(t, "ins", "AFTER INSERT")
            + insert
            + literal(table)
            + ", 'I', "
            + keyText(key, "NEW")
            + ", NULL, "
            + NOW_MS
            + "); END",
        trigger(t, "upd", "AFTER UPDATE")
            + insert
            + literal(table)
            + ", 'U', "
            + keyText(key, "NEW")
            + ", CASE WHEN "
            + changed
            + " THEN "
            + keyText(key, "OLD")
            + " END, "
            + NOW_MS
            + "); END",
        trigger(t, "del", "AFTER DELETE")
            + insert
            + literal(table)
            + ", 'D', "
            + keyText(key, "OLD")
            + ", NULL, "
            + NOW_MS
            + "); END");
  }

  private static String trigger(SourceTable t, String suffix, String when) {
    return "CREATE TRIGGER IF NOT EXISTS "
        + ident(SyncCapture.triggerName(t.name(), suffix))
        + " "
        + when
        + " ON "
        + ident(t.name())
        + " WHEN "
        + NOT_FERRY
        + " BEGIN ";
  }

  private static String keyText(List<SourceColumn> key, String row) {
    return key.stream()
        .map(k -> "quote(" + row + "." + ident(k.name()) + ")")
        .collect(Collectors.joining(" || ',' || "));
  }

  /**
   * Makes every table refuse the application's writes with {@code message} (BEFORE triggers that
   * RAISE(ABORT)); Ferry's own writes pass (the guard).
   */
  static void refuse(Statement st, List<SourceTable> tables, String message) throws SQLException {
    for (SourceTable t : tables) {
      for (String op : List.of("INSERT", "UPDATE", "DELETE")) {
        st.execute(
            "CREATE TRIGGER IF NOT EXISTS "
                + ident(SyncCapture.triggerName(t.name(), "refuse_" + op.toLowerCase(Locale.ROOT)))
                + " BEFORE "
                + op
                + " ON "
                + ident(t.name())
                + " WHEN "
                + NOT_FERRY
                + " BEGIN SELECT RAISE(ABORT, "
                + literal(message.replace("TABLE", t.name()))
                + "); END");
      }
    }
  }

  /**
   * Removes every capture object ({@link SyncCapture#holds}): its triggers and its three tables.
   * The application's own objects stay, {@code _ferry_…} ones included, and in a file without a
   * capture nothing is touched. The user's schema is then exactly as before.
   */
  static void remove(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        SyncCapture capture = SyncCapture.find(c);
        List<String> triggers = new ArrayList<>();
        try (ResultSet rs =
            st.executeQuery("SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger'")) {
          while (rs.next()) {
            if (capture.holds(rs.getString(1), rs.getString(2), rs.getString(3))) {
              triggers.add(rs.getString(2));
            }
          }
        }
        for (String t : triggers) {
          st.execute("DROP TRIGGER IF EXISTS " + ident(t));
        }
        for (String t : capture.installed() ? SyncCapture.TABLES : List.<String>of()) {
          st.execute("DROP TABLE IF EXISTS " + ident(t));
        }
        st.execute("COMMIT");
      } catch (SQLException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  /**
   * A digest of the application's schema: every object but the capture's ({@link
   * SyncCapture#holds}), so a change to one of the application's own {@code _ferry_…} tables counts
   * like any other.
   */
  static String fingerprint(Connection c) throws SQLException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    SyncCapture capture = SyncCapture.find(c);
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")) {
      while (rs.next()) {
        if (capture.holds(rs.getString(1), rs.getString(2), rs.getString(3))) {
          continue;
        }
        for (int i = 1; i <= 3; i++) {
          md.update(rs.getString(i).getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0);
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** SQLite's schema counter: any DDL (also Ferry's own) changes it. */
  static long schemaVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA schema_version")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long maxSeq(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT coalesce(max(seq), 0) FROM _ferry_changes")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Changes after {@code seq}: how many, and when the oldest was written (epoch ms, 0: none). */
  static long[] backlog(Connection c, long seq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*), coalesce(min(at), 0) FROM _ferry_changes WHERE seq > ?")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  static String get(Connection c, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT v FROM _ferry_sync WHERE k = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  static void put(Connection c, String key, String value) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT OR REPLACE INTO _ferry_sync (k, v) VALUES (?, ?)")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    }
  }

  /**
   * Deletes applied changes (never the last row: seq must not go back), in one small write. Changes
   * after a cutover's verification mark ({@link #holdPruning}) stay while the mark holds.
   */
  static void prune(Connection c, long appliedSeq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM _ferry_changes WHERE seq <= ? AND seq < (SELECT max(seq) FROM"
                + " _ferry_changes) AND seq <= coalesce((SELECT CAST(v AS INTEGER) FROM"
                + " _ferry_sync WHERE k = 'verify_from' AND (SELECT CAST(v AS INTEGER) FROM"
                + " _ferry_sync WHERE k = 'verify_until') > "
                + NOW_MS
                + "), ?)")) {
      ps.setLong(1, appliedSeq);
      ps.setLong(2, appliedSeq);
      ps.executeUpdate();
    }
  }

  /**
   * Records the verification mark of a cutover: the changelog's last seq, returned; the changes
   * after it are not pruned until {@link #releasePruning} or {@code ttlMs} from now (a cutover
   * killed meanwhile must not make the changelog grow for ever). One short write transaction, so no
   * change can fall between the seq read and the mark.
   */
  static long holdPruning(Connection c, long ttlMs) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        long mark = maxSeq(c);
        put(c, "verify_from", Long.toString(mark));
        put(c, "verify_until", Long.toString(System.currentTimeMillis() + ttlMs));
        st.execute("COMMIT");
        return mark;
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  /** Moves the mark forward: the changes up to {@code mark} are verified and may be pruned. */
  static void moveMark(Connection c, long mark) throws SQLException {
    put(c, "verify_from", Long.toString(mark));
  }

  /** Removes the verification mark (inside the caller's transaction, if any). */
  static void releasePruning(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DELETE FROM _ferry_sync WHERE k IN ('verify_from', 'verify_until')");
    }
  }

  /**
   * True when every change after {@code mark} up to the last is still in the changelog: seq is
   * dense (one writer; pruning is the only delete and never takes the last row), so a gap means
   * pruning went past the mark (it expired).
   */
  static boolean keptSince(Connection c, long mark) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*), coalesce(max(seq), ?) FROM _ferry_changes WHERE seq > ?")) {
      ps.setLong(1, mark);
      ps.setLong(2, mark);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == rs.getLong(2) - mark;
      }
    }
  }
}
