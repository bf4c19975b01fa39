package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.Note;
import dev.ferry.plan.SampledTable;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.sql.SqlText;
import dev.ferry.value.TableChecksum;
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
 * Loads one chunk of a table (the whole table, or one rowid range of it) in one transaction: the
 * first chunk creates (or drops, truncates, keeps) the table, then a binary COPY streams the
 * chunk's rows from the source through a fixed buffer, its fixups, rejects and checkpoint are
 * written with it, and the last chunk restarts the identity. A table created or truncated in the
 * same transaction is copied with FREEZE, and on a server with wal_level=minimal skips the WAL.
 * Holds what the chunks of one table share: the plan as it stands, its notes and, in a one-pass
 * load, the sampled types every row is checked against (a row that does not fit them stops the
 * chunk with {@link Widen}). {@link ChunkedLoad} runs the chunks and the restart.
 */
final class TableLoader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableLoader.class);
  private static final int BUFFER_BYTES = 1 << 20;
  private static final int PROGRESS_EVERY = 4096;

  private final PostgresTarget target;
  private final IfExists mode;
  private final Source source;
  private final LongConsumer progress;
  private final LoadOptions options;
  private final LoadedSoFar soFar;
  private boolean ours;

  /** Whether the first chunk created the table: only such a table is loaded again from nothing. */
  private boolean created;

  private final List<Note> notes = new ArrayList<>();
  private TablePlan table;

  /**
   * The table as planned (before {@link TableCreator} adapted it), for the sampled types' check.
   */
  private TablePlan planned;

  /**
   * Checks every row against types chosen from a sample, or null when the plan read every value.
   */
  private SampledTable sampled;

  /**
   * The plan a one-pass load found wrong: the table is loaded again under {@code plan} (null: under
   * the plan of a full profile, still to be made). The chunk that found it was not committed; the
   * chunks before it (a table loaded in several) are removed before the table loads again.
   */
  static final class Widen extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient TablePlan plan;

    Widen(TablePlan plan) {
      super(null, null, false, false);
      this.plan = plan;
    }

    TablePlan plan() {
      return plan;
    }
  }

  TableLoader(
      PostgresTarget target,
      TablePlan table,
      LoadOptions options,
      Source source,
      LongConsumer progress,
      LoadedSoFar soFar,
      SampledTable sampled) {
    this.sampled = sampled;
    this.soFar = soFar;
    this.options = options;
    this.mode = options.ifExists();
    this.target = target;
    this.table = table;
    this.source = source;
    this.progress = progress;
  }

  /** From now on, loads under the plan of the table's full profile. */
  void widen(TablePlan plan, String why) {
    LOG.info("table {}: {} with the types of a full profile", table.source().name(), why);
    table = plan != null ? plan : sampled.widen();
    sampled = null;
    notes.clear();
  }

  /** Whether rows are checked against types chosen from a sample. */
  boolean sampled() {
    return sampled != null;
  }

  /** The table as it stands (as created by the first chunk, or adopted after the last). */
  TablePlan table() {
    return table;
  }

  /** Whether this load's first chunk created the table. */
  boolean created() {
    return created;
  }

  /** The table's notes so far (the caller adds its DDL steps' notes). */
  List<Note> notes() {
    return notes;
  }

  /** Starts a load of every chunk under the table as it now stands. */
  void plannedAsNow() {
    planned = table;
  }

  /** The first chunk's attempt starts from the plan: a failed attempt left nothing behind. */
  void restartFromPlan() {
    table = planned;
    notes.clear();
    if (sampled != null) {
      sampled.restart();
    }
  }

  /** Marks the sampled profile after the chunks committed so far. */
  void markChunk() {
    if (sampled != null) {
      sampled.mark();
    }
  }

  /** A later chunk tried again is not profiled twice. */
  void rewindChunk() {
    if (sampled != null) {
      sampled.rewind();
    }
  }

  /**
   * Loads one chunk (rowids in {@code range}) in one transaction, with its checkpoint; the first
   * chunk also creates (or empties, or keeps) the table, the last restarts its identity.
   */
  LoadResult loadChunk(boolean first, boolean last, int chunk, long[] range, long readBefore)
      throws SQLException {
    try (Connection c = target.connection()) {
      c.setAutoCommit(false);
      flushAsWritten(c);
      Start start = first ? start(c) : new Start(false, false, 0);
      if (first) {
        ours = start.ours();
        created = start.fresh();
      }
      LoadResult part = copyChunk(c, start, last, chunk, range, readBefore);
      String restart = Ddl.restartIdentity(table);
      if (restart != null && last && (ours || soFar != null)) {
        try (Statement st = c.createStatement()) {
          st.execute(restart);
        }
      }
      c.commit();
      return part;
    }
  }

  /**
   * Asks the server to start writing the chunk's pages to disk as COPY fills them ({@code
   * backend_flush_after}, for this transaction only) instead of leaving them all in the OS cache.
   * Why: a table created in the load's transaction on a server with {@code wal_level = minimal}
   * (the embedded one) skips the WAL, so its COMMIT waits for an fsync of the whole table, with
   * both cores idle. Measured on the 1M-tweet example's 374 MB table: that COMMIT took 0.67-0.76 s,
   * 0.15-0.21 s with the pages already on their way. On a server whose WAL holds the rows
   * (wal_level replica or logical) the same writes start earlier; that case was not measured.
   */
  private static void flushAsWritten(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      // in blocks: 256 is the most any build allows (2 MB with 8 kB blocks); a server without
      // the setting (a PostgreSQL-compatible one) sets nothing and the load goes on
      st.execute(
          "SELECT set_config(name, '256', true) FROM pg_settings"
              + " WHERE name = 'backend_flush_after'");
    }
  }

  /**
   * How the first chunk found the table: {@code fresh} when this transaction created it (COPY may
   * FREEZE), {@code ours} when the run owns its rows (identity restarted at the end).
   */
  private record Start(boolean fresh, boolean ours, long rowsBefore) {}

  /** Makes the table ready for the first chunk as --if-exists says, on the chunk's transaction. */
  private Start start(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      boolean exists = exists(st);
      boolean replaced = false;
      if (mode == IfExists.DROP && exists) {
        st.execute("DROP TABLE " + table.qualified() + " CASCADE");
        exists = false;
        replaced = true;
      }
      if (!exists) {
        TableCreator creator = new TableCreator(table);
        table = creator.create(st);
        notes.addAll(creator.notes());
        target.record(c, options.run(), "table", table.schema(), table.name(), replaced);
        return new Start(true, true, 0);
      } else if (mode == IfExists.TRUNCATE) {
        // emptied with every table of the plan in one TRUNCATE (Truncation): alone, a table that
        // a foreign key references cannot be truncated
        return new Start(false, true, count(st));
      } else if (mode == IfExists.APPEND) {
        return new Start(false, false, count(st));
      }
      throw new FerryException(
          ErrorCode.TARGET_CONFLICT,
          "table "
              + table.qualified()
              + " already exists; choose --if-exists drop|truncate|append");
    }
  }

  /**
   * Streams the chunk's rows through the encoder into a binary COPY, its repaired values and
   * set-aside rows into ferry.fixups / ferry.rejects, and writes its checkpoint: all on {@code c}'s
   * transaction.
   */
  private LoadResult copyChunk(
      Connection c, Start start, boolean last, int chunk, long[] range, long readBefore)
      throws SQLException {
    List<ColumnPlan> columns = table.loadedColumns();
    RowEncoder encoder = new RowEncoder(table, options.badValues(), sampled != null);
    // the server computes these, in a table this run created: its first chunk made it here, or a
    // resumed run's (only --if-exists fail resumes, so the interrupted run made it)
    boolean[] fromDoc = FieldsFromDoc.computed(c, table, columns, created || soFar != null);
    encoder.leaveOut(fromDoc);
    List<SourceColumn> sourceColumns = columns.stream().map(ColumnPlan::source).toList();
    CopyIn copy =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(copySql(FieldsFromDoc.sent(columns, fromDoc), start.fresh()));
    boolean ranged = range[0] != Long.MIN_VALUE || range[1] != Long.MAX_VALUE;
    try (RowCursor rows =
            ranged
                ? source.openRows(table.source(), sourceColumns, range[0], range[1])
                : source.openRows(table.source(), sourceColumns);
        IssueLog issues = new IssueLog(options.run(), table, encoder);
        HashPipeline hashes = options.checksum() ? new HashPipeline(hasher(encoder)) : null) {
      CopyStream out = new CopyStream(copy, BUFFER_BYTES);
      long read;
      long bytes;
      long written;
      try {
        read = stream(rows, encoder, issues, hashes, out, readBefore);
        bytes = out.bytes();
        written = out.finish();
      } catch (SQLException e) {
        throw strayOrFailure(hashes, e);
      }
      if (last) { // fromDoc is null in a table this run did not create: never a user's expression
        FieldsFromDoc.makeOrdinary(c, table, columns, fromDoc);
      }
      TableChecksum sum = hashes != null ? checksum(hashes) : null;
      if (sampled != null && last) { // every row of the table has been profiled
        adopt(sampled.finish());
      }
      issues.copyInto(c);
      LoadResult part =
          new LoadResult(
              read,
              written,
              start.rowsBefore(),
              issues.fixed(),
              issues.setAside(),
              bytes,
              0,
              sum,
              notes);
      checkpoint(c, chunk, ranged ? range[1] : null, last, part);
      return part;
    } catch (ValueEncoder.BadValue e) {
      if (sampled != null) {
        throw new Widen(null);
      }
      throw new FerryException(
          ErrorCode.LOAD_FAILED,
          "table "
              + table.source().name()
              + ", column "
              + columns.get(encoder.failedColumn()).source().name()
              + ", "
              + e.getMessage()
              + "; the source changed since it was profiled?");
    } catch (java.io.IOException e) {
      throw new FerryException(
          ErrorCode.LOAD_FAILED,
          "cannot record fixups or rejects of " + table.source().name() + ": " + e.getMessage(),
          e);
    } finally {
      cancel(copy); // a COPY still open here failed: end it, as pgjdbc's CopyManager does
    }
  }

  /**
   * A COPY the server refused: in a one-pass load whose hashing thread checks JSON, the refusal may
   * be a document that check stops at (the server can read it first), and the table loads again.
   */
  private SQLException strayOrFailure(HashPipeline hashes, SQLException e) {
    if (sampled != null && hashes != null) {
      hashes.finish(); // every row sent has been hashed
      if (hashes.troubled()) {
        throw new Widen(null);
      }
    }
    return e;
  }

  /** The row hasher; in a one-pass load it makes the JSON check the profile leaves to it. */
  private RowHasher hasher(RowEncoder encoder) {
    RowHasher hasher = encoder.hasher();
    return sampled != null ? hasher.checkingJson(sampled.leaveJsonCheckToLoad()) : hasher;
  }

  /**
   * The rows' checksum; a one-pass load whose hashing failed or found a document the profile's JSON
   * check would have stopped at loads again under a full profile, as for a value that does not fit.
   */
  private TableChecksum checksum(HashPipeline hashes) {
    TableChecksum sum = hashes.finish();
    if (sampled != null && (hashes.failure() != null || !hashes.jsonHeld())) {
      throw new Widen(null);
    }
    if (hashes.failure() != null) {
      String what = "table " + table.source().name() + ": cannot compute a loaded row's checksum: ";
      throw new FerryException(
          ErrorCode.LOAD_FAILED, what + hashes.failure().getMessage(), hashes.failure());
    }
    return sum;
  }

  /**
   * Keeps what a one-pass load loaded when the table's full profile plans it the same way: the
   * table (as created) with the finished plan's row count, identity restart and constraints;
   * otherwise the load starts again under the finished plan.
   */
  private void adopt(TablePlan finished) {
    if (!SampledTable.sameLoad(planned, finished)) {
      throw new Widen(finished);
    }
    table =
        new TablePlan(
            table.source(),
            table.schema(),
            table.name(),
            table.columns(),
            finished.rowCount(),
            finished.constraints(),
            finished.foreignKeys(),
            finished.identityRestart(),
            finished.notes());
  }

  private String copySql(List<ColumnPlan> columns, boolean fresh) {
    return "COPY "
        + table.qualified()
        + " ("
        + columns.stream().map(col -> SqlText.ident(col.name())).collect(Collectors.joining(", "))
        + ") FROM STDIN (FORMAT binary"
        + (fresh ? ", FREEZE" : "")
        + ")";
  }

  /** Encodes every row of the cursor into {@code out}; returns the rows read. */
  private long stream(
      RowCursor rows,
      RowEncoder encoder,
      IssueLog issues,
      HashPipeline hashes,
      CopyStream out,
      long readBefore)
      throws SQLException {
    long read = 0;
    while (rows.next()) {
      if (++read % PROGRESS_EVERY == 0) {
        progress.accept(readBefore + read);
      }
      if (sampled != null && (!sampled.add(rows) || (hashes != null && hashes.troubled()))) {
        throw new Widen(null);
      }
      if (!encoder.encode(rows)) {
        if (sampled != null && hashes != null && !sampled.jsonHolds(rows)) {
          throw new Widen(null); // the hashing thread checks only the rows it hashes
        }
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
    return read;
  }

  /** The chunk's checkpoint, on the chunk's transaction: committed with its rows or not at all. */
  private void checkpoint(Connection c, int chunk, Long upto, boolean last, LoadResult part)
      throws SQLException {
    TableChecksum sum = part.sourceChecksum();
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ferry.checkpoints (run_id, source_table,"
                + " chunk, upto_rowid, last, rows_read, rows_written, bytes, sum_rows, sum_value, fixed, set_aside,"
                + " loading) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, options.run());
      ps.setString(2, table.source().name());
      ps.setInt(3, chunk);
      ps.setObject(4, upto == null || upto == Long.MAX_VALUE ? null : upto);
      ps.setBoolean(5, last);
      ps.setLong(6, part.rowsRead());
      ps.setLong(7, part.rowsWritten());
      ps.setLong(8, part.bytes());
      ps.setLong(9, sum == null ? 0 : sum.rows());
      ps.setBigDecimal(
          10, new java.math.BigDecimal(sum == null ? java.math.BigInteger.ZERO : sum.sum()));
      ps.setLong(11, part.fixed());
      ps.setLong(12, part.setAside());
      ps.setString(13, SampledTable.loading(planned)); // the plan the rows were loaded under
      ps.executeUpdate();
    }
  }

  private boolean exists(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT to_regclass(" + SqlText.literal(table.qualified()) + ") IS NOT NULL")) {
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
