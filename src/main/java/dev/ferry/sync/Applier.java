package dev.ferry.sync;

import static dev.ferry.sql.SqlText.ident;
import static dev.ferry.sql.SqlText.literal;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.IfExists;
import dev.ferry.load.LoadOptions;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.PgType;
import dev.ferry.plan.TablePlan;
import dev.ferry.plan.TypeChoice;
import dev.ferry.postgres.SqlStates;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.BadValuePolicy;
import java.nio.file.Path;
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
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Applies a batch of captured changes to PostgreSQL, convergently: for every changed key, the row
 * as it is now in SQLite replaces PostgreSQL's, or PostgreSQL's is deleted when SQLite has none.
 *
 * <p>The rows go through the migration pipeline itself, so a followed value is typed, converted,
 * repaired or set aside exactly as the initial copy did: the changed keys and their current rows
 * (LEFT JOIN: absent rows have {@code _ferry_present = 0}) are written to a scratch SQLite file
 * whose tables carry the source's declared types (hence the same storage classes), then {@link
 * PostgresTarget#load} copies each into {@code ferry_sync.t_N} under a run of its own. One
 * PostgreSQL transaction then deletes, updates and inserts, moves that run's fixups and rejects to
 * the initial copy's run, and advances ferry.sync_state. It runs with session_replication_role =
 * replica when allowed: foreign keys are not re-checked nor cascaded (SQLite already did that and
 * logged every row it touched), and PostgreSQL's own triggers do not fire.
 */
final class Applier implements AutoCloseable {
  // Why a little over 500 lines: one batch's whole life (scratch file, load through the pipeline,
  // one transaction that applies, moves evidence and advances the position, the unique-violation
  // re-read) shares this state; the next split is the scratch file into a class of its own.
  static final String STAGING = "ferry_sync";
  private static final String PRESENT = "_ferry_present";
  private static final int ATTEMPTS = 5;
  // compiled once: every changed key of every batch is checked against it
  private static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile(
          "(?:NULL|-?[0-9][0-9.eE+-]*|'(?:[^']|'')*'|X'[0-9A-Fa-f]*')"
              + "(?:,(?:NULL|-?[0-9][0-9.eE+-]*|'(?:[^']|'')*'|X'[0-9A-Fa-f]*'))*");

  private final PostgresTarget target;
  private final boolean follower;
  private Connection pg;
  private final Connection sqlite;
  private final Path delta;
  private final Map<String, TablePlan> plans;
  private final BadValuePolicy policy;
  private final String source;
  private final String schema;
  private boolean replica;
  private final String prefix;

  Applier(
      PostgresTarget target,
      Connection sqlite,
      Path delta,
      List<TablePlan> tables,
      BadValuePolicy policy,
      String source,
      String schema,
      boolean follower)
      throws SQLException {
    this.target = target;
    this.sqlite = sqlite;
    this.delta = delta;
    this.plans = new LinkedHashMap<>();
    tables.forEach(t -> plans.put(t.source().name(), t));
    this.policy = policy;
    this.source = source;
    this.schema = schema;
    this.prefix = follower ? "f_" : "c_"; // the follower and a cutover may apply at once
    this.follower = follower;
    connect("another ferry sync start is following " + source + " into this database");
    try (Statement st = pg.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + ident(STAGING));
      if (follower) { // only the lock holder: a cutover must not remove the follower's batch
        st.execute(
            "DELETE FROM ferry.runs WHERE target_schema = "
                + literal(STAGING)
                + " AND source = "
                + literal(source)); // batches a killed follower left
      }
    }
    // committed now: an open transaction would hide the schema from a cutover (which waits on
    // it) and hold back the snapshot xmin the way back reads below
    pg.commit();
    try (Statement st = sqlite.createStatement()) {
      st.execute("ATTACH DATABASE " + literal(delta.toString()) + " AS d");
      // scratch, rewritten for every batch (a kill replays the batch): no fsync, no journal file
      st.execute("PRAGMA d.synchronous = OFF");
      st.execute("PRAGMA d.journal_mode = MEMORY");
    }
  }

  /**
   * A connection of its own; a follower's also takes the follower lock (its lease), or fails with
   * {@code taken} when another session holds it.
   */
  private void connect(String taken) throws SQLException {
    pg = target.dataSource().getConnection();
    if (follower && !followerLock(pg, source, false)) {
      pg.close();
      throw new FerryException(
          ErrorCode.USAGE, taken + "; stop it first (ferry sync stop ends it)");
    }
    trySet(pg, PgCapture.APPLYING); // after a fallback PostgreSQL refuses all writes but Ferry's
    this.replica = trySet(pg, "SET session_replication_role = replica");
    pg.setAutoCommit(false);
  }

  /**
   * A follower applies only while it holds its lease: the session lock lives as long as the
   * connection, and a lost connection loses it, after which another follower may have started. So
   * before every batch: a dead connection is replaced and the lock taken again (or following stops
   * when another session took it), and a live one must still hold it.
   */
  private void lease() throws SQLException {
    if (!follower) {
      return;
    }
    if (pg.isClosed() || !pg.isValid(5)) {
      try {
        pg.close();
      } catch (SQLException e) {
        // already gone
      }
      connect(
          "the follower's PostgreSQL session was lost, and with it its lease: another session now"
              + " holds the follower lock of "
              + source
              + ", so this follower stops without applying more");
    }
    try (PreparedStatement ps =
        pg.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid"
                + " = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) ="
                + " hashtextextended(?, 14))")) {
      ps.setString(1, "ferry sync " + source);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new FerryException(
              ErrorCode.USAGE,
              "the follower no longer holds its lease (the follower lock of "
                  + source
                  + "): following stopped without applying more");
        }
      }
    }
    pg.commit();
  }

  /**
   * The session lock a follower holds while it runs: one follower per file and database, and {@code
   * sync stop} waits (up to {@code lock_timeout}) for a running one to end before it cleans.
   */
  static boolean followerLock(Connection c, String source, boolean wait) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + (wait ? "pg_advisory_lock" : "pg_try_advisory_lock")
                + "(hashtextextended(?, 14))::text")) {
      ps.setString(1, "ferry sync " + source);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return !"false".equals(rs.getString(1));
      }
    }
  }

  static void followerUnlock(Connection c, String source) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_advisory_unlock(hashtextextended(?, 14))")) {
      ps.setString(1, "ferry sync " + source);
      ps.execute();
    }
  }

  private static boolean trySet(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
      return true;
    } catch (SQLException e) {
      return false; // not superuser: foreign keys are checked while applying
    }
  }

  /** False when foreign keys are checked on apply (the role may not set replication role). */
  boolean replica() {
    return replica;
  }

  /**
   * Applies {@code changes} (which follow position {@code from}); returns false when another
   * applier (a cutover) moved the position meanwhile, so nothing was applied.
   */
  boolean apply(List<Change> changes, long from) throws SQLException {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    for (Change c : changes) {
      if (!plans.containsKey(c.table())) {
        continue; // a table the plan leaves in SQLite (keep:)
      }
      Set<String> k = keys.computeIfAbsent(c.table(), t -> new LinkedHashSet<>());
      k.add(c.key());
      if (c.oldKey() != null) {
        k.add(c.oldKey());
      }
    }
    long last = changes.get(changes.size() - 1).seq();
    lease();
    for (int attempt = 1; ; attempt++) {
      UUID batch = UUID.randomUUID();
      Map<String, String> staged = stage(keys, batch);
      try {
        return commit(staged, batch, from, last, changes.size());
      } catch (SQLException e) {
        pg.rollback();
        if (SqlStates.of(e) != SqlStates.Kind.CONSTRAINT_VIOLATED
            || !"23505".equals(e.getSQLState()) // a unique violation, not another constraint
            || attempt == ATTEMPTS) {
          throw e;
        }
        // INSERT OR REPLACE deleted a row through a secondary UNIQUE without logging it: the rows
        // PostgreSQL still holds with the same unique values are re-read from SQLite too
        for (Map.Entry<String, String> s : staged.entrySet()) {
          keys.get(s.getKey()).addAll(conflicting(plans.get(s.getKey()), s.getValue()));
        }
      }
    }
  }

  /** Writes the scratch file and loads it into staging tables; returns staging name by table. */
  private Map<String, String> stage(Map<String, Set<String>> keys, UUID batch) throws SQLException {
    try (Statement st = sqlite.createStatement()) {
      st.execute("BEGIN");
      try {
        for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
          scratch(st, plans.get(e.getKey()), e.getValue());
        }
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
    try (PreparedStatement ps =
        pg.prepareStatement(
            "INSERT INTO ferry.runs (run_id, source, target_schema, state, ferry_version, message)"
                + " VALUES (?, ?, ?, 'running', ?, 'one batch of ferry sync, removed once applied')")) {
      ps.setObject(1, batch);
      ps.setString(2, source);
      ps.setString(3, STAGING);
      ps.setString(4, dev.ferry.run.Version.current());
      ps.executeUpdate();
      pg.commit();
    }
    SqliteSource scratch = SqliteSource.open(delta);
    Map<String, String> staged = new LinkedHashMap<>();
    int n = 0;
    for (String table : keys.keySet()) {
      TablePlan stage = stagingPlan(plans.get(table), prefix + n++);
      target.load(stage, new LoadOptions(IfExists.DROP, false, policy, batch, 0), scratch, r -> {});
      staged.put(table, stage.name());
    }
    return staged;
  }

  /** The changed keys of one table and their current rows, in the scratch file. */
  private static void scratch(Statement st, TablePlan plan, Set<String> keys) throws SQLException {
    SourceTable t = plan.source();
    List<SourceColumn> key = t.primaryKey();
    List<SourceColumn> columns = plan.loadedColumns().stream().map(ColumnPlan::source).toList();
    String name = "d." + ident(t.name());
    st.execute("DROP TABLE IF EXISTS " + name);
    st.execute("DROP TABLE IF EXISTS d._ferry_keys");
    st.execute(
        "CREATE TABLE "
            + name
            + " ("
            + columns.stream().map(Applier::declared).collect(Collectors.joining(", "))
            + ", "
            + PRESENT
            + " INTEGER)");
    st.execute(
        "CREATE TABLE d._ferry_keys ("
            + key.stream().map(Applier::declared).collect(Collectors.joining(", "))
            + ")");
    List<String> values = new ArrayList<>(keys);
    for (int i = 0; i < values.size(); i += 200) {
      st.execute(
          "INSERT INTO d._ferry_keys VALUES "
              + values.subList(i, Math.min(values.size(), i + 200)).stream()
                  .map(v -> "(" + checked(v) + ")")
                  .collect(Collectors.joining(", ")));
    }
    String select =
        columns.stream()
            .map(c -> (c.primaryKeyOrdinal() > 0 ? "k." : "m.") + ident(c.name()))
            .collect(Collectors.joining(", "));
    String on =
        key.stream()
            .map(k -> "m." + ident(k.name()) + " = k." + ident(k.name()))
            .collect(Collectors.joining(" AND "));
    st.execute(
        "INSERT INTO "
            + name
            + " SELECT "
            + select
            + ", m."
            + ident(key.get(0).name())
            + " IS NOT NULL FROM (SELECT DISTINCT * FROM d._ferry_keys) k LEFT JOIN main."
            + ident(t.name())
            + " m ON "
            + on);
  }

  private static String declared(SourceColumn c) {
    return ident(c.name()) + " " + c.declaredType();
  }

  /**
   * A key as written by the capture triggers is SQLite literals joined by commas; anything else in
   * the changelog (someone wrote into it) is refused rather than run.
   */
  static String checked(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE,
          "_ferry_changes holds a key Ferry did not write: "
              + key
              + " (run ferry sync stop, then"
              + " start again)");
    }
    return key;
  }

  /**
   * The table as staged: its loaded columns (no defaults, keys or checks) and the presence flag.
   */
  private static TablePlan stagingPlan(TablePlan plan, String name) {
    SourceColumn present =
        new SourceColumn(PRESENT, "INTEGER", false, null, 0, null, null, false, false);
    List<SourceColumn> sourceColumns = new ArrayList<>();
    List<ColumnPlan> columns = new ArrayList<>();
    for (ColumnPlan c : plan.loadedColumns()) {
      sourceColumns.add(c.source());
      columns.add(new ColumnPlan(c.source(), c.name(), c.choice(), false, null, null, false));
    }
    sourceColumns.add(present);
    columns.add(
        new ColumnPlan(
            present,
            PRESENT,
            new TypeChoice(new PgType(PgType.Kind.BIGINT, 0), null, "row present in SQLite"),
            false,
            null,
            null,
            false));
    SourceTable t = plan.source();
    SourceTable scratch =
        new SourceTable(
            t.name(), sourceColumns, null, List.of(), List.of(), List.of(), false, false, 0, "");
    return new TablePlan(scratch, STAGING, name, columns, 0, List.of(), List.of(), 0, List.of());
  }

  private boolean commit(Map<String, String> staged, UUID batch, long from, long last, int count)
      throws SQLException {
    SyncState state = SyncState.read(pg, source, schema, true);
    if (state == null || state.appliedSeq() != from) {
      pg.rollback();
      dropRun(batch);
      return false;
    }
    try (Statement st = pg.createStatement()) {
      for (Map.Entry<String, String> s : staged.entrySet()) {
        TablePlan plan = plans.get(s.getKey());
        for (String sql : applySql(plan, STAGING + "." + ident(s.getValue()), replica)) {
          st.executeUpdate(sql);
        }
        try (PreparedStatement ps =
            pg.prepareStatement(
                "UPDATE ferry.fixups SET run_id = ?, target_table = ? WHERE run_id = ? AND"
                    + " source_table = ?")) {
          ps.setObject(1, state.run());
          ps.setString(2, plan.schema() + "." + plan.name());
          ps.setObject(3, batch);
          ps.setString(4, s.getKey());
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps =
          pg.prepareStatement("UPDATE ferry.rejects SET run_id = ? WHERE run_id = ?")) {
        ps.setObject(1, state.run());
        ps.setObject(2, batch);
        ps.executeUpdate();
      }
    }
    dropRunInTransaction(batch);
    SyncState.advance(pg, source, schema, last, count);
    pg.commit();
    return true;
  }

  /**
   * Delete what SQLite no longer has, update what both have, insert what PostgreSQL lacks. As
   * replica (no foreign key actions fire), every changed key is deleted and its current row
   * inserted: unique values that moved between rows of one batch cannot collide mid-statement.
   */
  static List<String> applySql(TablePlan plan, String stage, boolean replica) {
    List<ColumnPlan> columns = plan.loadedColumns();
    List<ColumnPlan> key =
        columns.stream().filter(c -> c.source().primaryKeyOrdinal() > 0).toList();
    String match =
        key.stream()
            .map(k -> "t." + ident(k.name()) + " = s." + ident(k.name()))
            .collect(Collectors.joining(" AND "));
    String table = plan.qualified();
    List<String> sql = new ArrayList<>();
    sql.add(
        "DELETE FROM "
            + table
            + " t USING "
            + stage
            + " s WHERE "
            + (replica ? "" : "s." + PRESENT + " = 0 AND ")
            + match);
    List<ColumnPlan> rest =
        columns.stream().filter(c -> c.source().primaryKeyOrdinal() == 0).toList();
    if (!rest.isEmpty() && !replica) {
      sql.add(
          "UPDATE "
              + table
              + " t SET "
              + rest.stream()
                  .map(c -> ident(c.name()) + " = s." + ident(c.name()))
                  .collect(Collectors.joining(", "))
              + " FROM "
              + stage
              + " s WHERE s."
              + PRESENT
              + " = 1 AND "
              + match
              + " AND ("
              + rest.stream()
                  .map(c -> "t." + ident(c.name()) + " IS DISTINCT FROM s." + ident(c.name()))
                  .collect(Collectors.joining(" OR "))
              + ")");
    }
    String names = columns.stream().map(c -> ident(c.name())).collect(Collectors.joining(", "));
    sql.add(
        "INSERT INTO "
            + table
            + " ("
            + names
            + ") SELECT "
            + columns.stream().map(c -> "s." + ident(c.name())).collect(Collectors.joining(", "))
            + " FROM "
            + stage
            + " s WHERE s."
            + PRESENT
            + " = 1 AND NOT EXISTS (SELECT 1 FROM "
            + table
            + " t WHERE "
            + match
            + ")");
    return sql;
  }

  /**
   * Keys (as SQLite literals) of the rows PostgreSQL holds with the unique values of a staged row
   * under another key.
   */
  private List<String> conflicting(TablePlan plan, String stage) throws SQLException {
    List<List<String>> uniques = new ArrayList<>();
    try (PreparedStatement ps =
        pg.prepareStatement(
            "SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i, unnest(i.indkey)"
                + " WITH ORDINALITY k(attnum, ord), pg_attribute a WHERE a.attrelid = i.indrelid"
                + " AND a.attnum = k.attnum AND i.indrelid = ?::regclass AND i.indisunique AND NOT"
                + " i.indisprimary AND i.indexprs IS NULL GROUP BY i.indexrelid")) {
      ps.setString(1, plan.qualified());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          uniques.add(List.of((String[]) rs.getArray(1).getArray()));
        }
      }
    }
    List<ColumnPlan> key =
        plan.loadedColumns().stream().filter(c -> c.source().primaryKeyOrdinal() > 0).toList();
    List<String> found = new ArrayList<>();
    for (List<String> unique : uniques) {
      String sql =
          "SELECT "
              + key.stream()
                  .map(k -> "t." + ident(k.name()) + "::text")
                  .collect(Collectors.joining(", "))
              + " FROM "
              + plan.qualified()
              + " t JOIN "
              + STAGING
              + "."
              + ident(stage)
              + " s ON s."
              + PRESENT
              + " = 1 AND "
              + unique.stream()
                  .map(u -> "t." + ident(u) + " = s." + ident(u))
                  .collect(Collectors.joining(" AND "))
              + " WHERE NOT ("
              + key.stream()
                  .map(k -> "t." + ident(k.name()) + " = s." + ident(k.name()))
                  .collect(Collectors.joining(" AND "))
              + ")";
      try (Statement st = pg.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          List<String> literals = new ArrayList<>();
          for (int i = 1; i <= key.size(); i++) {
            String v = rs.getString(i);
            literals.add(v == null ? "NULL" : literal(v));
          }
          found.add(String.join(",", literals));
        }
      }
    }
    pg.rollback();
    return found;
  }

  private void dropRun(UUID batch) throws SQLException {
    dropRunInTransaction(batch);
    pg.commit();
  }

  private void dropRunInTransaction(UUID batch) throws SQLException {
    try (PreparedStatement ps = pg.prepareStatement("DELETE FROM ferry.runs WHERE run_id = ?")) {
      ps.setObject(1, batch);
      ps.executeUpdate();
    }
  }

  /** True when {@code e} is a failure worth stopping over (not a lost race). */
  static boolean fatal(SQLException e) {
    return SqlStates.of(e) != SqlStates.Kind.CONNECTION_LOST;
  }

  @Override
  public void close() {
    try {
      pg.rollback();
      pg.close();
    } catch (SQLException e) {
      // closing: nothing left to save
    }
    try (Statement st = sqlite.createStatement()) {
      st.execute("DETACH DATABASE d");
    } catch (SQLException e) {
      // the connection closes with the follower
    }
  }
}
