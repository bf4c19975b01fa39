package dev.ferry.target;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.Names;
import dev.ferry.plan.Note;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.verify.TableChecksum;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Loads one table in one transaction: create (or drop, truncate, keep), then a binary COPY streamed
 * from the source through a fixed buffer. A table created or truncated in the same transaction is
 * copied with FREEZE, and on a server with wal_level=minimal skips the WAL. Keys, checks and
 * indexes are built after the data.
 */
final class TableLoader {
  private static final int BUFFER_BYTES = 1 << 20;
  private static final int PROGRESS_EVERY = 4096;

  private final PostgresTarget target;
  private final IfExists mode;
  private final SqliteSource source;
  private final LongConsumer progress;
  private final LoadOptions options;
  private final List<Note> notes = new ArrayList<>();
  private TablePlan table;

  TableLoader(
      PostgresTarget target,
      TablePlan table,
      LoadOptions options,
      SqliteSource source,
      LongConsumer progress) {
    this.options = options;
    this.mode = options.ifExists();
    this.target = target;
    this.table = table;
    this.source = source;
    this.progress = progress;
  }

  LoadResult run() {
    long start = System.nanoTime();
    TablePlan planned = table;
    LoadResult data;
    try {
      data =
          Retry.withBackoff(
              "loading table " + table.source().name(),
              () -> {
                table = planned; // every attempt starts from the plan: the failed one left nothing
                // behind
                notes.clear();
                return loadData(start);
              });
    } catch (SQLException e) {
      throw target.failure(
          "loading table " + table.source().name() + " into " + table.qualified(), e);
    }
    notes.addAll(target.runSteps("table " + table.source().name(), table.constraints()));
    return new LoadResult(
        data.rowsRead(),
        data.rowsWritten(),
        data.rowsBefore(),
        data.fixed(),
        data.setAside(),
        data.bytes(),
        System.nanoTime() - start,
        data.sourceChecksum(),
        List.copyOf(notes));
  }

  /** Creates (or empties, or keeps) the table and loads it, in one transaction. */
  private LoadResult loadData(long start) throws SQLException {
    long read;
    long written;
    long before = 0;
    long bytes;
    TableChecksum sourceChecksum;
    long fixed;
    long setAside;
    try (Connection c = target.connection()) {
      c.setAutoCommit(false);
      boolean fresh;
      try (Statement st = c.createStatement()) {
        boolean exists = exists(st);
        boolean replaced = false;
        if (mode == IfExists.DROP && exists) {
          st.execute("DROP TABLE " + table.qualified() + " CASCADE");
          exists = false;
          replaced = true;
        }
        if (!exists) {
          create(st);
          target.record(c, options.run(), "table", table.schema(), table.name(), replaced);
          fresh = true;
        } else if (mode == IfExists.TRUNCATE) {
          st.execute("TRUNCATE " + table.qualified());
          fresh = true;
        } else if (mode == IfExists.APPEND) {
          before = count(st);
          fresh = false;
        } else {
          throw new FerryException(
              ErrorCode.TARGET_CONFLICT,
              "table "
                  + table.qualified()
                  + " already exists; choose --if-exists drop|truncate|append");
        }
      }
      List<ColumnPlan> columns = table.loadedColumns();
      String copySql =
          "COPY "
              + table.qualified()
              + " ("
              + columns.stream()
                  .map(col -> Names.quote(col.name()))
                  .collect(Collectors.joining(", "))
              + ") FROM STDIN (FORMAT binary"
              + (fresh ? ", FREEZE" : "")
              + ")";
      RowEncoder encoder = new RowEncoder(table, options.badValues());
      List<SourceColumn> sourceColumns = columns.stream().map(ColumnPlan::source).toList();
      CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
      read = 0;
      try (RowCursor rows = source.openRows(table.source(), sourceColumns);
          IssueLog issues = new IssueLog(options.run(), table, encoder);
          HashPipeline hashes = options.checksum() ? new HashPipeline(encoder.hasher()) : null) {
        CopyStream out = new CopyStream(copy, BUFFER_BYTES);
        while (rows.next()) {
          if (++read % PROGRESS_EVERY == 0) {
            progress.accept(read);
          }
          if (!encoder.encode(rows)) {
            issues.reject(rows, encoder.rejectReason());
            continue;
          }
          if (!encoder.fixups().isEmpty()) {
            issues.fixups(rows);
          }
          if (hashes != null) {
            hashes.add(encoder.row());
          }
          encoder.writeTo(out);
        }
        bytes = out.bytes();
        written = out.finish();
        sourceChecksum = hashes != null ? hashes.finish() : null;
        issues.copyInto(c);
        fixed = issues.fixed();
        setAside = issues.setAside();
      } catch (ValueEncoder.BadValue e) {
        cancel(copy);
        throw new FerryException(
            ErrorCode.LOAD_FAILED,
            "table "
                + table.source().name()
                + ", column "
                + columns.get(encoder.failedColumn()).source().name()
                + ", "
                + e.getMessage()
                + "; the source changed since it was profiled?");
      } catch (SQLException | RuntimeException e) {
        cancel(copy);
        throw e;
      } catch (java.io.IOException e) {
        throw new FerryException(
            ErrorCode.LOAD_FAILED,
            "cannot record fixups or rejects of " + table.source().name() + ": " + e.getMessage(),
            e);
      }
      progress.accept(read);
      String restart = Ddl.restartIdentity(table);
      if (restart != null && fresh) {
        try (Statement st = c.createStatement()) {
          st.execute(restart);
        }
      }
      c.commit();
    }
    return new LoadResult(
        read,
        written,
        before,
        fixed,
        setAside,
        bytes,
        System.nanoTime() - start,
        sourceChecksum,
        notes);
  }

  private boolean exists(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT to_regclass(" + Names.literal(table.qualified()) + ") IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private long count(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table.qualified())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Creates the table with its defaults and generation expressions inline; when PostgreSQL rejects
   * one of them, creates it plain and adds each default on its own, noting the ones that fail, and
   * loads untranslatable generated columns as plain columns.
   */
  private void create(Statement st) throws SQLException {
    st.execute("SAVEPOINT ferry_create");
    try {
      st.execute(Ddl.createTable(table, true));
      st.execute("RELEASE SAVEPOINT ferry_create");
      return;
    } catch (SQLException e) {
      st.execute("ROLLBACK TO SAVEPOINT ferry_create");
      st.execute("RELEASE SAVEPOINT ferry_create");
    }
    List<ColumnPlan> plain = new ArrayList<>();
    for (ColumnPlan col : table.columns()) {
      if (col.generatedSql() != null && !generatedWorks(st, col)) {
        notes.add(
            new Note(
                "column " + table.source().name() + "." + col.source().name(),
                "generation expression rejected by PostgreSQL: loaded as a plain column with the stored values"));
        plain.add(
            new ColumnPlan(
                col.source(),
                col.name(),
                col.choice(),
                col.notNull(),
                col.defaultSql(),
                null,
                col.identity()));
      } else {
        plain.add(col);
      }
    }
    table =
        new TablePlan(
            table.source(),
            table.schema(),
            table.name(),
            plain,
            table.rowCount(),
            table.constraints(),
            table.foreignKeys(),
            table.identityRestart(),
            table.notes());
    st.execute(Ddl.createTable(withoutDefaults(table), true));
    for (ColumnPlan col : table.columns()) {
      String sql = Ddl.setDefault(table, col);
      if (sql == null) {
        continue;
      }
      st.execute("SAVEPOINT ferry_default");
      try {
        st.execute(sql);
      } catch (SQLException e) {
        st.execute("ROLLBACK TO SAVEPOINT ferry_default");
        notes.add(
            new Note(
                "column " + table.source().name() + "." + col.source().name(),
                "DEFAULT "
                    + col.defaultSql()
                    + " rejected by PostgreSQL: "
                    + PostgresTarget.firstLine(e.getMessage())));
      }
      st.execute("RELEASE SAVEPOINT ferry_default");
    }
  }

  private boolean generatedWorks(Statement st, ColumnPlan col) throws SQLException {
    TablePlan probe =
        new TablePlan(
            table.source(),
            table.schema(),
            table.name(),
            table.columns(),
            0,
            List.of(),
            List.of(),
            0,
            List.of());
    st.execute("SAVEPOINT ferry_probe");
    try {
      st.execute(Ddl.createTable(withoutDefaults(onlyGenerated(probe, col)), true));
      return true;
    } catch (SQLException e) {
      return false;
    } finally {
      st.execute("ROLLBACK TO SAVEPOINT ferry_probe");
      st.execute("RELEASE SAVEPOINT ferry_probe");
    }
  }

  private static TablePlan onlyGenerated(TablePlan t, ColumnPlan keep) {
    List<ColumnPlan> cols =
        t.columns().stream()
            .map(
                c ->
                    c == keep || c.generatedSql() == null
                        ? c
                        : new ColumnPlan(
                            c.source(),
                            c.name(),
                            c.choice(),
                            c.notNull(),
                            c.defaultSql(),
                            null,
                            c.identity()))
            .toList();
    return new TablePlan(
        t.source(), t.schema(), t.name(), cols, 0, List.of(), List.of(), 0, List.of());
  }

  private static TablePlan withoutDefaults(TablePlan t) {
    List<ColumnPlan> cols =
        t.columns().stream()
            .map(
                c ->
                    new ColumnPlan(
                        c.source(),
                        c.name(),
                        c.choice(),
                        c.notNull(),
                        null,
                        c.generatedSql(),
                        c.identity()))
            .toList();
    return new TablePlan(
        t.source(),
        t.schema(),
        t.name(),
        cols,
        t.rowCount(),
        t.constraints(),
        t.foreignKeys(),
        t.identityRestart(),
        t.notes());
  }

  private static void cancel(CopyIn copy) {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException ignored) {
      // the connection is rolled back and returned; the original failure is what matters
    }
  }
}
