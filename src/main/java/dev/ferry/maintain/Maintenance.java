package dev.ferry.maintain;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.audit.AuditLog;
import dev.ferry.postgres.Pool;
import dev.ferry.postgres.SqlStates;
import dev.ferry.postgres.TargetUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@code ferry maintain}: the package's entry point. In order: {@link #check} every retention rule
 * against the catalog (all problems at once, before anything is deleted); {@link #run} deletes the
 * expired rows in audited batches ({@code RetentionSweep}), ANALYZEs and VACUUMs where due ({@code
 * TableUpkeep}), and reports bloat and unused or missing indexes with their fixes ({@code
 * Findings}); {@link #undo} puts audited batches back.
 */
public final class Maintenance {
  /** The largest batch a rule may delete in one transaction. */
  public static final int MAX_BATCH_ROWS = 100_000;

  /** The default batch: short locks, few round trips. */
  public static final int DEFAULT_BATCH_ROWS = 1_000;

  /**
   * @param dryRun count what would be deleted, analyzed and vacuumed; change nothing
   * @param batchRows rows per delete transaction
   * @param vacuum vacuum tables with many dead rows (ANALYZE always runs where due)
   */
  public record Options(boolean dryRun, int batchRows, boolean vacuum) {
    public Options {
      if (batchRows < 1 || batchRows > MAX_BATCH_ROWS) {
        throw new FerryException(
            ErrorCode.USAGE,
            "--batch-rows " + batchRows + " is out of range: use 1 to " + MAX_BATCH_ROWS);
      }
    }
  }

  /** Rules that passed {@link #check}, ready to {@link #run}. */
  public static final class Checked {
    private final List<RetentionTarget> targets;

    private Checked(List<RetentionTarget> targets) {
      this.targets = targets;
    }

    /** True when there is something to delete from. */
    public boolean deletes() {
      return !targets.isEmpty();
    }
  }

  private final DataSource db;
  private final Options options;
  private final Consumer<String> progress;

  public Maintenance(DataSource db, Options options, Consumer<String> progress) {
    this.db = db;
    this.options = options;
    this.progress = progress;
  }

  /** A small pool on {@code url} (two connections: the schema setup and the work). */
  public static HikariDataSource connect(TargetUrl url) {
    return Pool.on(url, "maintain").size(2, 0).connectTimeout(10_000).open();
  }

  /** Every rule checked against the target; USAGE listing every problem when any is wrong. */
  public Checked check(List<RetentionRule> rules) {
    try (Connection c = db.getConnection()) {
      return new Checked(RetentionCheck.check(c, rules));
    } catch (SQLException e) {
      throw failed("cannot read the target's catalog", e, ErrorCode.INTERNAL);
    }
  }

  /** Applies the checked rules, then statistics upkeep, then the report. */
  public MaintenanceReport run(Checked checked) {
    try (Connection c = db.getConnection()) {
      List<RuleOutcome> outcomes = retention(c, checked.targets);
      Map<String, Long> deleted = new LinkedHashMap<>();
      for (RuleOutcome o : outcomes) {
        deleted.merge(o.target().label(), o.rows(), Long::sum);
      }
      c.setAutoCommit(true);
      List<TableStats> read = TableStats.read(c);
      List<TableStats> after = TableStats.afterDeleting(read, deleted);
      List<TableStats> stats = options.dryRun() ? read : after; // what is there now
      List<TableUpkeep.Action> actions = TableUpkeep.plan(after, deleted, options.vacuum());
      if (!options.dryRun() && !actions.isEmpty()) {
        progress.accept("Statistics:");
        actions = TableUpkeep.apply(c, actions, progress);
      }
      Set<String> vacuumed = new HashSet<>();
      for (TableUpkeep.Action a : actions) {
        if (a.vacuum() && a.skipped() == null && !options.dryRun()) {
          vacuumed.add(a.label());
        }
      }
      List<Findings.Finding> findings = new ArrayList<>(Findings.bloat(stats, vacuumed));
      findings.addAll(Findings.unusedIndexes(c));
      findings.addAll(Findings.missingForeignKeyIndexes(c));
      findings.addAll(Findings.seqScans(stats));
      return new MaintenanceReport(options.dryRun(), outcomes, actions, findings);
    } catch (SQLException e) {
      throw failed("maintenance stopped", e, ErrorCode.INTERNAL);
    }
  }

  private List<RuleOutcome> retention(Connection c, List<RetentionTarget> targets)
      throws SQLException {
    List<Cutoff> cutoffs = Cutoff.of(c, targets);
    List<RuleOutcome> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      RetentionTarget t = targets.get(i);
      if (options.dryRun()) {
        long n = RetentionSweep.count(c, t, cutoffs.get(i));
        int batches = (int) ((n + options.batchRows() - 1) / options.batchRows());
        out.add(new RuleOutcome(t, cutoffs.get(i), n, batches, List.of(), true));
      } else {
        progress.accept("Retention of " + t.label() + ": " + t.rule().describe());
        out.add(RetentionSweep.sweep(c, t, cutoffs.get(i), options.batchRows(), progress));
      }
    }
    return out;
  }

  /**
   * Reverses the ferry.audit entries {@code ids} (batches of a retention, or any audited write) in
   * one transaction: all are put back, or none (CONFLICT naming the rows that changed since).
   */
  public static List<AuditLog.Change> undo(DataSource db, List<Long> ids) {
    try (Connection c = db.getConnection()) {
      List<AuditLog.Change> out = new ArrayList<>();
      AuditLog.begin(c);
      try {
        for (long id : ids) {
          out.add(AuditLog.undo(c, RetentionSweep.WHO, id));
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      return out;
    } catch (SQLException e) {
      throw failed("undo failed, nothing was put back", e, ErrorCode.CONFLICT);
    }
  }

  /** {@code rejected}: what a statement refused means here (see {@link SqlStates#errorCode}). */
  private static FerryException failed(String what, SQLException e, ErrorCode rejected) {
    return new FerryException(SqlStates.errorCode(e, rejected), what + ": " + e.getMessage(), e);
  }
}
