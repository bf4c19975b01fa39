package dev.ferry.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.DdlStep;
import dev.ferry.plan.Note;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.SqlStates;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.Source;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * A PostgreSQL server Ferry writes to: the package's entry point. Owns a small connection pool (one
 * connection per parallel job) and runs DDL, COPY and counts.
 */
public final class PostgresTarget implements AutoCloseable {
  private final TargetUrl url;
  private final HikariDataSource pool;

  private PostgresTarget(TargetUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Connects, checking the server is reachable, accepts the login and is PostgreSQL 13 or later.
   *
   * @throws FerryException TARGET_UNREACHABLE with the server's reason, never the password
   */
  public static PostgresTarget connect(TargetUrl url, int connections) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("ferry");
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(url.properties());
    config.setMaximumPoolSize(Math.max(2, connections));
    config.setMinimumIdle(1);
    config.setConnectionTimeout(15_000);
    config.setInitializationFailTimeout(1);
    config.setConnectionInitSql(SqlText.SESSION_SETUP);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot connect to " + url.display() + ": " + firstLine(cause.getMessage()),
          cause);
    }
    PostgresTarget target = new PostgresTarget(url, pool);
    try (Connection c = pool.getConnection()) {
      int major = c.getMetaData().getDatabaseMajorVersion();
      if (major < 13) {
        pool.close();
        throw new FerryException(
            ErrorCode.TARGET_UNREACHABLE,
            url.display() + " runs PostgreSQL " + major + "; Ferry needs 13 or later");
      }
    } catch (SQLException e) {
      pool.close();
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot connect to " + url.display() + ": " + firstLine(e.getMessage()),
          e);
    }
    return target;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public TargetUrl url() {
    return url;
  }

  public DataSource dataSource() {
    return pool;
  }

  /** Creates {@code schema} unless it exists; a schema this run creates is recorded as its own. */
  public void createSchema(String schema, java.util.UUID run) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      boolean exists;
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
      if (!exists) {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          st.execute("CREATE SCHEMA " + SqlText.ident(schema));
        }
        record(c, run, "schema", schema, schema, false);
        c.commit();
      }
    } catch (SQLException e) {
      throw failure("cannot create schema " + schema, e);
    }
  }

  /**
   * Records in ferry.objects that {@code run} created an object, on {@code c}'s transaction, so the
   * record commits with the object.
   */
  void record(
      Connection c, java.util.UUID run, String kind, String schema, String name, boolean replaced)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.objects (run_id, kind, schema_name,"
                + " object_name, replaced) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setObject(1, run);
      ps.setString(2, kind);
      ps.setString(3, schema);
      ps.setString(4, name);
      ps.setBoolean(5, replaced);
      ps.executeUpdate();
    }
  }

  /** Creates a view and records it as {@code run}'s, together; false (and a note) when rejected. */
  public Note createView(
      String object, String sql, java.util.UUID run, String schema, String name) {
    return withRetry(
        object,
        () -> {
          try (Connection c = pool.getConnection();
              Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
              st.execute(sql);
              record(c, run, "view", schema, name, false);
              c.commit();
              return null;
            } catch (SQLException e) {
              if (SqlStates.connectionLost(e)) {
                throw e;
              }
              c.rollback();
              if (SqlStates.of(e) == SqlStates.Kind.ALREADY_EXISTS
                  && existsAsOwn(run, schema, name)) {
                return null; // made by the interrupted run this one resumes
              }
              return Note.notCreated(
                  object, firstLine(e.getMessage()).replaceFirst("^ERROR: ", ""));
            }
          }
        });
  }

  private boolean existsAsOwn(java.util.UUID run, String schema, String name) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM ferry.objects WHERE run_id = ? AND kind = 'view'"
                    + " AND schema_name = ? AND object_name = ?")) {
      ps.setObject(1, run);
      ps.setString(2, schema);
      ps.setString(3, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Empties the plan's existing tables together, before any is loaded ({@code --if-exists
   * truncate}); each table's load then appends to its empty table. Foreign keys between the plan's
   * tables are dropped with them (the source's are added again after the load).
   *
   * @return what was dropped, one line each, for the run to say
   * @throws FerryException TARGET_CONFLICT naming a table outside the plan that references one
   */
  public List<String> truncate(List<TablePlan> tables) {
    try (Connection c = pool.getConnection()) {
      return Truncation.truncate(c, tables);
    } catch (SQLException e) {
      throw failure("cannot truncate the tables", e);
    }
  }

  /**
   * Refuses, before anything changes, a load into existing tables ({@code --if-exists truncate} or
   * {@code append}) that would write a column the user's table generates.
   *
   * @throws FerryException TARGET_CONFLICT naming each such table and column
   */
  public void refuseGeneratedColumns(List<TablePlan> tables, IfExists mode) {
    try (Connection c = pool.getConnection()) {
      GeneratedColumnConflicts.refuse(c, tables, mode);
    } catch (SQLException e) {
      throw failure("cannot read the catalog", e);
    }
  }

  /** Which of {@code names} already exist as tables, views or other relations in {@code schema}. */
  public List<String> existing(String schema, Collection<String> names) {
    List<String> found = new ArrayList<>();
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ANY (?) ORDER BY 1")) {
      ps.setString(1, schema);
      ps.setArray(2, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw failure("cannot read the catalog", e);
    }
    return found;
  }

  /**
   * Creates (as {@code options} say) and loads one table, then builds its keys and indexes; with a
   * checksum, also computes the source side's checksum while streaming.
   */
  public LoadResult load(
      TablePlan table, LoadOptions options, Source source, LongConsumer progress) {
    return new ChunkedLoad(this, table, options, source, progress, null, null).run();
  }

  /**
   * Loads a table whose types were chosen from a sample, checking every value against them as it
   * goes: when one does not fit, the table is profiled in full and loaded again (a table loaded in
   * several chunks first has what its earlier chunks committed removed). {@code sampled} ends with
   * the table's full profile.
   */
  public LoadResult load(
      TablePlan table,
      LoadOptions options,
      Source source,
      LongConsumer progress,
      dev.ferry.plan.SampledTable sampled) {
    return new ChunkedLoad(this, table, options, source, progress, null, sampled).run();
  }

  /** Goes on with a table whose first chunks an interrupted run committed. */
  public LoadResult resume(
      TablePlan table,
      LoadOptions options,
      Source source,
      LongConsumer progress,
      LoadedSoFar soFar) {
    return new ChunkedLoad(this, table, options, source, progress, soFar, null).run();
  }

  /**
   * Removes the table a resumed run created and committed chunks of, with its checkpoints, fixups
   * and rejects, so that it loads again from its first row ({@link TableDiscard}): its chunks were
   * loaded under types its plan no longer has.
   */
  public void discard(java.util.UUID run, TablePlan table) {
    TableDiscard.discard(this, run, table);
  }

  /**
   * Runs DDL steps one by one; a step PostgreSQL rejects is retried in its weaker form when it has
   * one, else recorded as a note. The notes say what was not created or created weaker.
   */
  public List<Note> runSteps(String object, List<DdlStep> steps) {
    return runSteps(object, steps, false);
  }

  /**
   * As {@link #runSteps(String, List)}; with {@code resuming}, a step whose object already exists
   * (an interrupted run created it) counts as done. A step retried after a lost connection is run
   * the same way: the server may have committed the first attempt before the connection dropped.
   */
  public List<Note> runSteps(String object, List<DdlStep> steps, boolean resuming) {
    List<Note> notes = new ArrayList<>();
    for (DdlStep step : steps) {
      try {
        boolean[] tried = {false};
        Note n =
            Retry.withBackoff(
                object + ", " + step.what(),
                () -> {
                  boolean again = resuming || tried[0];
                  tried[0] = true;
                  return step(object, step, again);
                });
        if (n != null) {
          notes.add(n);
        }
      } catch (SQLException e) {
        throw failure("cannot run DDL for " + object, e);
      }
    }
    return notes;
  }

  /** One DDL step on a connection of its own; a note when it was weakened or not created. */
  private Note step(String object, DdlStep step, boolean resuming) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.execute("SET maintenance_work_mem = '256MB'");
      try {
        execute(c, st, step.sql(), resuming);
        return null;
      } catch (SQLException e) {
        if (SqlStates.connectionLost(e)) {
          throw e;
        }
        if (resuming && SqlStates.alreadyCreated(e)) {
          return null; // made by the interrupted run
        }
        String why = firstLine(e.getMessage()).replaceFirst("^ERROR: ", "");
        if (step.offendersSql() != null) {
          why += offenders(st, step.offendersSql());
        }
        if (step.fallbackSql() != null) {
          try {
            String kept = execute(c, st, step.fallbackSql(), resuming);
            if (kept != null) { // PostgreSQL's message named the second copy the statement tried
              why =
                  why.replaceFirst(
                      "constraint \"[^\"]*\"",
                      java.util.regex.Matcher.quoteReplacement("constraint \"" + kept + "\""));
            }
            return new Note(
                object + ", " + step.what(),
                (step.fallbackSql().endsWith("NOT VALID")
                        ? "created NOT VALID (enforced for new rows only): "
                        : "created as "
                            + step.fallbackSql().replaceFirst(".* ADD ", "")
                            + " instead: ")
                    + why);
          } catch (SQLException again) {
            if (SqlStates.connectionLost(again)) {
              throw again;
            }
            why = firstLine(again.getMessage()).replaceFirst("^ERROR: ", "");
          }
        }
        return Note.notCreated(object + ", " + step.what(), why);
      }
    }
  }

  /**
   * Runs one DDL statement. When resuming, in a transaction that is rolled back when it only made a
   * second copy of a constraint the interrupted run made: a UNIQUE, CHECK or FOREIGN KEY added
   * without a name is named by PostgreSQL, so adding it again does not fail as "already exists" but
   * makes {@code t_v_key1} beside {@code t_v_key}. The comparison is PostgreSQL's own definition of
   * the constraint this transaction created against the table's others.
   *
   * @return the name of the interrupted run's constraint when this one was its second copy, else
   *     null
   */
  private static String execute(Connection c, Statement st, String sql, boolean resuming)
      throws SQLException {
    if (!resuming) {
      st.execute(sql);
      return null;
    }
    c.setAutoCommit(false);
    try {
      st.execute(sql);
      String kept;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT o.conname FROM pg_constraint n JOIN pg_constraint o"
                  + " ON o.conrelid = n.conrelid AND o.contype = n.contype AND o.oid <> n.oid"
                  + " AND pg_get_constraintdef(o.oid) = pg_get_constraintdef(n.oid)"
                  + " WHERE n.conrelid <> 0 AND n.xmin = pg_current_xact_id()::xid LIMIT 1")) {
        kept = rs.next() ? rs.getString(1) : null;
      }
      if (kept != null) {
        c.rollback();
      } else {
        c.commit();
      }
      c.setAutoCommit(true);
      return kept;
    } catch (SQLException e) {
      try { // on a lost connection these fail too: the first failure is the one to report
        c.rollback();
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        e.addSuppressed(ignored);
      }
      throw e;
    }
  }

  /** "; offending rows: duplicate (x) ×2, NULL in the key ×1" (the data is kept as it is). */
  private static String offenders(Statement st, String sql) {
    List<String> found = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        found.add(rs.getString(1) + " ×" + rs.getLong(2));
      }
    } catch (SQLException e) {
      return "";
    }
    return found.isEmpty()
        ? ""
        : "; the rows are kept; offending values: " + String.join(", ", found);
  }

  /** Rows in a table now. */
  public long count(String qualified) {
    try {
      return Retry.withBackoff(
          "counting " + qualified,
          () -> {
            try (Connection c = pool.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + qualified)) {
              rs.next();
              return rs.getLong(1);
            }
          });
    } catch (SQLException e) {
      throw failure("cannot count " + qualified, e);
    }
  }

  /**
   * Runs {@code work} on a connection of the pool, retried with backoff when the connection to the
   * server is lost: for statements that are safe to repeat.
   */
  public <T> T withRetry(String what, Retry.Work<T> work) {
    try {
      return Retry.withBackoff(what, work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /**
   * What a statement's failure means for the run ({@link SqlStates#errorCode}): the target is out
   * of reach (connection lost, login refused) or a privilege is missing: exit 2, as before the
   * shared table; it rejected the work or timed out: exit 5. Never the password.
   */
  FerryException failure(String what, SQLException e) {
    ErrorCode code =
        // a load may have changed things already: never exit 1 ("nothing was changed") for a
        // privilege refused midway, and a statement timeout is a failed load; both as before
        switch (SqlStates.errorCode(e, ErrorCode.LOAD_FAILED)) {
          case FORBIDDEN -> ErrorCode.TARGET_UNREACHABLE;
          case TIMEOUT -> ErrorCode.LOAD_FAILED;
          default -> SqlStates.errorCode(e, ErrorCode.LOAD_FAILED);
        };
    return new FerryException(
        code, url.display() + ": " + what + ": " + firstLine(e.getMessage()), e);
  }

  @Override
  public void close() {
    pool.close();
  }
}
