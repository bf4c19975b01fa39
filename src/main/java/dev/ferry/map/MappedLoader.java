package dev.ferry.map;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.sql.SqlText;
import dev.ferry.value.BadValuePolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Loads one mapped source table into its existing target table, in one transaction: the rows are
 * converted to the target's declared types ({@link RowConverter}) and copied into a temporary table
 * of exactly the target's column types (so a value PostgreSQL refuses is refused there, before the
 * target is touched), the rows whose foreign key references no row are taken out of it ({@link
 * OrphanCheck}), then the rest is inserted into the target; the key of every inserted row goes to
 * ferry.mapped_rows and the table's counts to ferry.mapped_tables, with the rows set aside in
 * ferry.rejects, in the same transaction. A value that does not fit follows --on-bad-value: fail
 * stops naming table, key and column; fix and set-aside keep the row out of the table and verbatim
 * in ferry.rejects (no repair is made into a type the user chose: nothing is truncated or rounded).
 */
final class MappedLoader {
  static final String STAGE = "ferry_map_rows";

  private MappedLoader() {}

  static MappedLoad load(
      Connection c, Source source, MappedTable t, UUID run, BadValuePolicy policy) {
    return load(c, source, List.of(t), run, policy).get(0);
  }

  /**
   * Loads {@code group} in one transaction: one table, or the tables of a foreign-key cycle (see
   * {@link LoadOrder}), whose deferrable constraints are then checked at the commit.
   */
  static List<MappedLoad> load(
      Connection c, Source source, List<MappedTable> group, UUID run, BadValuePolicy policy) {
    String names =
        String.join(", ", group.stream().map(t -> t.source().name()).toList())
            + " into "
            + String.join(", ", group.stream().map(t -> t.target().display()).toList());
    try {
      c.setAutoCommit(false);
      if (group.size() > 1) {
        try (Statement st = c.createStatement()) {
          st.execute("SET CONSTRAINTS ALL DEFERRED");
        }
      }
      List<MappedLoad> out = new ArrayList<>();
      for (int i = 0; i < group.size(); i++) {
        Set<String> later = new HashSet<>();
        group
            .subList(i + 1, group.size())
            .forEach(l -> later.add(l.target().display().toLowerCase(Locale.ROOT)));
        out.add(loadOne(c, source, group.get(i), run, policy, later));
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      rollbackQuietly(c, e);
      throw failure(names, e);
    } catch (RuntimeException e) {
      rollbackQuietly(c, e);
      throw e;
    }
  }

  private static MappedLoad loadOne(
      Connection c,
      Source source,
      MappedTable t,
      UUID run,
      BadValuePolicy policy,
      Set<String> later)
      throws SQLException {
    long t0 = System.nanoTime();
    stage(c, t);
    try (Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + STAGE + " ADD COLUMN " + OrphanCheck.ROW + " bigint");
    }
    long read = 0;
    long bytes;
    List<String[]> rejects = new ArrayList<>();
    RowConverter rows = new RowConverter(t);
    try (TextCopy copy =
            new TextCopy(
                c,
                "COPY " + STAGE + " (" + t.columnList() + ", " + OrphanCheck.ROW + ") FROM STDIN");
        RowCursor cursor = source.openRows(t.source(), t.read())) {
      while (cursor.next()) {
        read++;
        if (rows.convert(cursor)) {
          copy.row(rows.fields(), read);
          continue;
        }
        if (policy == BadValuePolicy.FAIL) {
          throw badRow(t, rows.key(cursor), rows.reason());
        }
        rejects.add(reject(t, rows.key(cursor), rows.original(cursor), rows.reason(), policy));
      }
      copy.finish();
      bytes = copy.bytes();
    }
    List<OrphanCheck.Orphan> orphans = OrphanCheck.remove(c, t, later, true);
    if (!orphans.isEmpty()) {
      rejects.addAll(orphans(source, t, orphans, policy));
    }
    long written = insert(c, t, run, read, rejects.size(), bytes, (System.nanoTime() - t0) / 1e9);
    rejects(c, t, run, rejects);
    return new MappedLoad(t, read, written, rejects.size(), bytes, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The source rows of {@code orphans} (read again: only their numbers were kept) as ferry.rejects
   * rows; with --on-bad-value fail, the first of them stops the load instead.
   */
  private static List<String[]> orphans(
      Source source, MappedTable t, List<OrphanCheck.Orphan> orphans, BadValuePolicy policy) {
    Map<Long, String> reasons = new HashMap<>();
    for (OrphanCheck.Orphan o : orphans) {
      reasons.putIfAbsent(o.row(), o.reason());
    }
    List<String[]> out = new ArrayList<>();
    RowConverter rows = new RowConverter(t);
    try (RowCursor cursor = source.openRows(t.source(), t.read())) {
      long read = 0;
      while (out.size() < reasons.size() && cursor.next()) {
        read++;
        String reason = reasons.get(read);
        if (reason == null) {
          continue;
        }
        if (policy == BadValuePolicy.FAIL) {
          throw badRow(t, rows.key(cursor), reason);
        }
        out.add(reject(t, rows.key(cursor), rows.original(cursor), reason, policy));
      }
    }
    if (out.size() < reasons.size()) {
      throw new FerryException(
          ErrorCode.LOAD_FAILED,
          "table "
              + t.source().name()
              + " changed while it was loaded into "
              + t.target().display()
              + ": rows it had are gone");
    }
    return out;
  }

  private static FerryException badRow(MappedTable t, String key, String reason) {
    return new FerryException(
        ErrorCode.LOAD_FAILED,
        "table "
            + t.source().name()
            + " into "
            + t.target().display()
            + ", row "
            + key
            + ", "
            + reason
            + " (--on-bad-value set-aside loads the rest and keeps this row verbatim in"
            + " ferry.rejects)");
  }

  private static String[] reject(
      MappedTable t, String key, String original, String reason, BadValuePolicy policy) {
    return new String[] {
      key,
      original,
      reason
          + " (into "
          + t.target().display()
          + (policy == BadValuePolicy.FIX ? "; cannot be repaired)" : ")")
    };
  }

  /** The temporary table of the target's column types the rows are copied into first. */
  static void stage(Connection c, MappedTable t) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pg_temp." + STAGE);
      st.execute(
          "CREATE TEMP TABLE "
              + STAGE
              + " ON COMMIT DROP AS SELECT "
              + t.columnList()
              + " FROM "
              + t.target().qualified()
              + " WITH NO DATA");
    }
  }

  /** Inserts the staged rows into the target, recording the table and the inserted keys. */
  private static long insert(
      Connection c, MappedTable t, UUID run, long read, long setAside, long bytes, double seconds)
      throws SQLException {
    List<String> key = t.target().primaryKey();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.mapped_tables (run_id, source_table, target_table, key_columns,"
                + " rows_read, rows_written, rows_set_aside, bytes, seconds)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, run);
      ps.setString(2, t.source().name());
      ps.setString(3, t.target().display());
      ps.setArray(4, c.createArrayOf("text", key.toArray()));
      ps.setLong(5, read);
      ps.setLong(6, read - setAside);
      ps.setLong(7, setAside);
      ps.setLong(8, bytes);
      ps.setDouble(9, seconds);
      ps.executeUpdate();
    }
    String insert =
        "INSERT INTO "
            + t.target().qualified()
            + " ("
            + t.columnList()
            + ") SELECT "
            + t.columnList()
            + " FROM "
            + STAGE;
    if (key.isEmpty()) {
      try (Statement st = c.createStatement()) {
        long n = st.executeUpdate(insert);
        advanceSequences(c, t.target().qualified());
        return n;
      }
    }
    String keyArray =
        "jsonb_build_array("
            + String.join(", ", key.stream().map(k -> SqlText.ident(k) + "::text").toList())
            + ")";
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH inserted AS ("
                + insert
                + " RETURNING "
                + keyArray
                + " AS k) INSERT INTO ferry.mapped_rows (run_id, source_table, row_key)"
                + " SELECT ?, ?, k FROM inserted")) {
      ps.setObject(1, run);
      ps.setString(2, t.source().name());
      long n = ps.executeUpdate();
      advanceSequences(c, t.target().qualified());
      return n;
    }
  }

  /**
   * Moves each serial or identity sequence of the table past the largest value now in its column,
   * so that the application's next insert does not collide with a row the load wrote with an
   * explicit key. Never moves a sequence back.
   */
  private static void advanceSequences(Connection c, String qualified) throws SQLException {
    List<String[]> sequences = new ArrayList<>();
    String table = SqlText.literal(qualified);
    try (Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT a.attname, pg_get_serial_sequence("
                    + table
                    + ", a.attname) FROM pg_attribute a WHERE a.attrelid = "
                    + table
                    + "::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                    + " AND pg_get_serial_sequence("
                    + table
                    + ", a.attname) IS NOT NULL")) {
      while (rs.next()) {
        sequences.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] s : sequences) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "SELECT setval("
                + SqlText.literal(s[1])
                + ", m) FROM (SELECT max("
                + SqlText.ident(s[0])
                + ") AS m FROM "
                + qualified
                + ") x, "
                + s[1]
                + " q WHERE m IS NOT NULL AND m > CASE WHEN q.is_called THEN q.last_value"
                + " ELSE q.last_value - 1 END");
      }
    }
  }

  private static void rejects(Connection c, MappedTable t, UUID run, List<String[]> rejects)
      throws SQLException {
    if (rejects.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.rejects (run_id, source_table, row_key, original_row, reason)"
                + " VALUES (?, ?, ?::jsonb, ?::jsonb, ?)")) {
      for (String[] r : rejects) {
        ps.setObject(1, run);
        ps.setString(2, t.source().name());
        ps.setString(3, r[0]);
        ps.setString(4, r[1]);
        ps.setString(5, r[2]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static FerryException failure(String names, SQLException e) {
    String what = "table " + names + ": " + e.getMessage();
    return switch (SqlStates.of(e)) {
      case CONNECTION_LOST ->
          new FerryException(
              ErrorCode.TARGET_UNREACHABLE, what + " (nothing of this table was kept)", e);
      default ->
          new FerryException(
              ErrorCode.LOAD_FAILED,
              what + " (nothing of this table was kept; fix the mapping or the target and re-run)",
              e);
    };
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
