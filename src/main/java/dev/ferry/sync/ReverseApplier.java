package dev.ferry.sync;

import static dev.ferry.sql.SqlText.ident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.PgType;
import dev.ferry.plan.TablePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The way back, applied: PostgreSQL's captured keys ({@link PgCapture}) into the SQLite file,
 * convergently, as {@link Applier} does the other way. For a batch of entries, the rows PostgreSQL
 * holds now under those keys are read in one snapshot (REPEATABLE READ), then one SQLite write
 * transaction, with Ferry's guard set (so SQLite's capture triggers skip these writes and its
 * refusal lets them through), deletes every changed key and inserts the present rows. The entries
 * are deleted after SQLite's commit: a replay after a kill re-reads the rows, which is harmless.
 *
 * <p>Values go back as SQLite stores them: booleans as 1/0, integers, reals, text, blobs; jsonb as
 * its text; timestamptz and date as PostgreSQL's ISO text.
 */
final class ReverseApplier implements AutoCloseable {
  static final int BATCH = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection pg;
  private final Connection lite;
  private final Map<String, TablePlan> plans = new LinkedHashMap<>();

  ReverseApplier(PostgresTarget target, Connection lite, List<TablePlan> tables)
      throws SQLException {
    this.pg = target.dataSource().getConnection();
    this.lite = lite;
    tables.forEach(t -> plans.put(t.source().name(), t));
    pg.setAutoCommit(true);
  }

  /** Applies the next batch of ended transactions' entries; returns how many there were. */
  int poll() throws SQLException {
    List<PgCapture.Entry> entries = PgCapture.next(pg, BATCH);
    if (entries.isEmpty()) {
      return 0;
    }
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    for (PgCapture.Entry e : entries) {
      if (plans.containsKey(e.table())) {
        keys.computeIfAbsent(e.table(), t -> new LinkedHashSet<>()).add(e.key());
      }
    }
    Map<String, List<Object[]>> rows = read(keys);
    write(keys, rows);
    PgCapture.consumed(pg, entries);
    return entries.size();
  }

  /** The rows PostgreSQL holds under the keys, per table, in one snapshot. */
  private Map<String, List<Object[]>> read(Map<String, Set<String>> keys) throws SQLException {
    Map<String, List<Object[]>> out = new LinkedHashMap<>();
    pg.setAutoCommit(false);
    pg.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
        TablePlan t = plans.get(e.getKey());
        List<ColumnPlan> columns = t.loadedColumns();
        List<ColumnPlan> key = PgCapture.keyColumns(t);
        String on =
            java.util.stream.IntStream.range(0, key.size())
                .mapToObj(i -> "to_jsonb(t." + ident(key.get(i).name()) + ") = k.v -> " + i)
                .collect(Collectors.joining(" AND "));
        String sql =
            "SELECT "
                + columns.stream()
                    .map(c -> "t." + ident(c.name()) + columnCast(c))
                    .collect(Collectors.joining(", "))
                + " FROM "
                + t.qualified()
                + " t JOIN jsonb_array_elements(?::jsonb) k(v) ON "
                + on;
        List<Object[]> found = new ArrayList<>();
        try (PreparedStatement ps = pg.prepareStatement(sql)) {
          ps.setString(1, "[" + String.join(",", e.getValue()) + "]");
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Object[] row = new Object[columns.size()];
              for (int i = 0; i < row.length; i++) {
                row[i] = sqliteValue(columns.get(i), rs, i + 1);
              }
              found.add(row);
            }
          }
        }
        out.put(e.getKey(), found);
      }
      pg.commit();
    } finally {
      pg.rollback();
      pg.setAutoCommit(true);
      pg.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }
    return out;
  }

  private static String columnCast(ColumnPlan c) {
    PgType.Kind kind = c.choice().type().kind();
    return switch (kind) {
      case JSONB, DATE -> "::text";
      case TIMESTAMPTZ -> " AT TIME ZONE 'UTC'";
      default -> "";
    };
  }

  private static Object sqliteValue(ColumnPlan c, ResultSet rs, int i) throws SQLException {
    PgType.Kind kind = c.choice().type().kind();
    Object v =
        switch (kind) {
          case BOOLEAN -> rs.getObject(i) == null ? null : rs.getBoolean(i) ? 1L : 0L;
          case SMALLINT, INTEGER, BIGINT -> rs.getObject(i) == null ? null : rs.getLong(i);
          case DOUBLE -> rs.getObject(i) == null ? null : rs.getDouble(i);
          case NUMERIC -> rs.getBigDecimal(i) == null ? null : rs.getBigDecimal(i).toPlainString();
          case BYTEA -> rs.getBytes(i);
          case TIMESTAMPTZ ->
              rs.getString(i) == null ? null : rs.getString(i).replace(' ', 'T') + "Z";
          default -> rs.getString(i);
        };
    return v;
  }

  /** One SQLite write transaction, guarded: every changed key deleted, present rows inserted. */
  private void write(Map<String, Set<String>> keys, Map<String, List<Object[]>> rows)
      throws SQLException {
    try (Statement st = lite.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        st.execute("UPDATE _ferry_guard SET applying = 1");
        for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
          TablePlan t = plans.get(e.getKey());
          delete(t, e.getValue());
          insert(t, rows.get(e.getKey()));
        }
        st.execute("UPDATE _ferry_guard SET applying = 0");
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException ex) {
        st.execute("ROLLBACK");
        throw ex;
      }
    }
  }

  private void delete(TablePlan t, Set<String> keys) throws SQLException {
    List<ColumnPlan> key = PgCapture.keyColumns(t);
    String sql =
        "DELETE FROM "
            + ident(t.source().name())
            + " WHERE "
            + key.stream()
                .map(k -> ident(k.source().name()) + " = ?")
                .collect(Collectors.joining(" AND "));
    try (PreparedStatement ps = lite.prepareStatement(sql)) {
      for (String k : keys) {
        JsonNode values = parse(k);
        for (int i = 0; i < key.size(); i++) {
          ps.setObject(i + 1, scalar(values.get(i)));
        }
        ps.executeUpdate();
      }
    }
  }

  private void insert(TablePlan t, List<Object[]> found) throws SQLException {
    List<ColumnPlan> columns = t.loadedColumns();
    String sql =
        "INSERT INTO "
            + ident(t.source().name())
            + " ("
            + columns.stream().map(c -> ident(c.source().name())).collect(Collectors.joining(", "))
            + ") VALUES ("
            + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
            + ")";
    try (PreparedStatement ps = lite.prepareStatement(sql)) {
      for (Object[] row : found) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i]);
        }
        ps.executeUpdate();
      }
    }
  }

  private static JsonNode parse(String key) {
    try {
      return JSON.readTree(key);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("ferry_sync.changes holds a key that is not JSON: " + key, e);
    }
  }

  private static Object scalar(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? 1L : 0L;
    }
    return v.asText();
  }

  /** Entries waiting: how many, and the oldest one's time (epoch ms, 0: none). */
  long[] backlog() throws SQLException {
    return PgCapture.backlog(pg);
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (SQLException e) {
      // closing: nothing left to save
    }
  }
}
