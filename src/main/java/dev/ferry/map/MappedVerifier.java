package dev.ferry.map;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Proves what a mapping promised: the source is read again, every row goes through its transforms
 * and conversion again, and the result is compared, row by row as a multiset, with the target rows
 * this run inserted (found by the keys in ferry.mapped_rows), so rows merged into one table from
 * several sources are accounted for per source. A target without a primary key cannot say which of
 * its rows a run inserted: there every source row must be found among the target's rows, and the
 * count of rows it holds must be at least what was written. With {@code count}, only the number of
 * this run's rows still in the target is compared.
 */
final class MappedVerifier {
  private static final int SHOWN = 5;

  private MappedVerifier() {}

  static MappedVerdict verify(
      Connection c, Source source, MappedTable t, UUID run, long written, boolean rows) {
    try {
      c.setAutoCommit(false);
      try {
        return rows ? compare(c, source, t, run, written) : count(c, t, run, written);
      } finally {
        c.rollback(); // the staging table goes with it
      }
    } catch (SQLException e) {
      throw new FerryException(
          SqlStates.connectionLost(e) ? ErrorCode.TARGET_UNREACHABLE : ErrorCode.INTERNAL,
          "verifying "
              + t.source().name()
              + " into "
              + t.target().display()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static MappedVerdict count(Connection c, MappedTable t, UUID run, long written)
      throws SQLException {
    long in = t.keyed() ? single(c, "SELECT count(*) FROM " + ours(t), run, t) : total(c, t);
    boolean ok = t.keyed() ? in == written : in >= written;
    List<String> notes = new ArrayList<>();
    if (!ok) {
      notes.add(
          String.format(
              "%,d rows written, %,d of them in %s now", written, in, t.target().display()));
    }
    return new MappedVerdict(-1, in, ok, notes);
  }

  private static MappedVerdict compare(
      Connection c, Source source, MappedTable t, UUID run, long written) throws SQLException {
    MappedLoader.stage(c, t);
    long expected = 0;
    RowConverter rows = new RowConverter(t);
    try (TextCopy copy = new TextCopy(c, "COPY " + MappedLoader.STAGE + " FROM STDIN");
        RowCursor cursor = source.openRows(t.source(), t.read())) {
      while (cursor.next()) {
        if (rows.convert(cursor)) { // the others were set aside, each in ferry.rejects
          copy.row(rows.fields());
          expected++;
        }
      }
      copy.finish();
    }
    expected -= OrphanCheck.remove(c, t, java.util.Set.of(), false).size(); // set aside too
    String staged = "SELECT ROW(" + t.columnList() + ")::text AS r FROM " + MappedLoader.STAGE;
    String target =
        t.keyed()
            ? "SELECT ROW(" + prefixed(t) + ")::text AS r FROM " + ours(t)
            : "SELECT ROW(" + t.columnList() + ")::text AS r FROM " + t.target().qualified();
    List<String> notes = new ArrayList<>();
    List<String> missing = rows(c, staged + " EXCEPT ALL " + target, t.keyed() ? run : null, t);
    if (!missing.isEmpty()) {
      notes.add(
          "source rows (after transforms and conversion) not in "
              + t.target().display()
              + ": "
              + String.join("; ", missing));
    }
    long in;
    if (t.keyed()) {
      List<String> extra = changed(c, t, target, staged, run);
      if (!extra.isEmpty()) {
        notes.add(
            "rows this run inserted that differ from the source now: " + String.join("; ", extra));
      }
      in = single(c, "SELECT count(*) FROM " + ours(t), run, t);
    } else {
      in = total(c, t);
      notes.add(
          t.target().display()
              + " has no primary key: every source row was found in it, but which of its rows this"
              + " run inserted is not recorded");
    }
    boolean ok = missing.isEmpty() && notes.stream().noneMatch(n -> n.startsWith("rows this run"));
    if (expected != written) {
      ok = false;
      notes.add(
          String.format(
              "the source now gives %,d rows that fit, the run wrote %,d: the source changed",
              expected, written));
    }
    return new MappedVerdict(expected, in, ok, notes);
  }

  /**
   * The rows this run inserted that are not among the source's rows now, each named by its key in
   * the target ({@code id=3: (3,changed)}): a row edited after the run is found here.
   */
  private static List<String> changed(
      Connection c, MappedTable t, String target, String staged, UUID run) throws SQLException {
    List<String> key = new ArrayList<>();
    for (String k : t.target().primaryKey()) {
      key.add(SqlText.literal(k + "=") + " || coalesce(t." + SqlText.ident(k) + "::text, 'NULL')");
    }
    String named =
        "SELECT "
            + String.join(" || ', ' || ", key)
            + " || ': ' || ROW("
            + prefixed(t)
            + ")::text AS r FROM "
            + ours(t)
            + " AND ROW("
            + prefixed(t)
            + ")::text IN (SELECT r FROM ("
            + target
            + " EXCEPT ALL "
            + staged
            + ") d)";
    return rows(c, named, run, t);
  }

  /** The target rows this run inserted for {@code t}'s source table, as FROM items. */
  private static String ours(MappedTable t) {
    List<String> key = t.target().primaryKey();
    List<String> on = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      on.add("t." + SqlText.ident(key.get(i)) + "::text = m.row_key->>" + i);
    }
    return t.target().qualified()
        + " t JOIN ferry.mapped_rows m ON "
        + String.join(" AND ", on)
        + " WHERE m.run_id = ? AND m.source_table = ?";
  }

  private static String prefixed(MappedTable t) {
    return String.join(
        ", ", t.columns().stream().map(c -> "t." + SqlText.ident(c.target().name())).toList());
  }

  private static long total(Connection c, MappedTable t) throws SQLException {
    return single(c, "SELECT count(*) FROM " + t.target().qualified(), null, t);
  }

  private static long single(Connection c, String sql, UUID run, MappedTable t)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, run, t, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Up to {@link #SHOWN} rows of {@code sql}, and how many more there are. */
  private static List<String> rows(Connection c, String sql, UUID run, MappedTable t)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r, count(*) OVER () FROM (" + sql + ") d ORDER BY r LIMIT " + SHOWN)) {
      bind(ps, run, t, 1);
      try (ResultSet rs = ps.executeQuery()) {
        long total = 0;
        while (rs.next()) {
          out.add(rs.getString(1));
          total = rs.getLong(2);
        }
        if (total > out.size()) {
          out.add(String.format("and %,d more", total - out.size()));
        }
      }
    }
    return out;
  }

  private static void bind(PreparedStatement ps, UUID run, MappedTable t, int from)
      throws SQLException {
    if (run != null) {
      int params = ps.getParameterMetaData().getParameterCount();
      for (int i = from; i + 1 <= params; i += 2) {
        ps.setObject(i, run);
        ps.setString(i + 1, t.source().name());
      }
    }
  }
}
