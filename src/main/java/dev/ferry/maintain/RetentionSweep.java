package dev.ferry.maintain;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.audit.AuditLog;
import dev.ferry.postgres.SqlStates;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One retention rule applied: the rows whose column is before the cutoff are deleted in batches of
 * at most {@code batchRows} rows, each batch one short transaction (so locks stay short and the
 * application keeps writing) recorded in ferry.audit as a delete by "maintain" with the rule as its
 * filter and every row's key and old values, so {@code ferry maintain --undo ID} or {@code POST
 * /api/audit/ID/undo} puts a batch back. The cutoff is fixed once, before the first batch, so the
 * set of rows to delete does not move while the sweep runs. A row whose column is NULL is never
 * deleted. A dry run only counts.
 */
final class RetentionSweep {
  static final String WHO = "maintain";

  private RetentionSweep() {}

  /**
   * The cutoff of each target as UTC text (microseconds), from one {@code now()} of the server so
   * that every rule of a run uses the same instant.
   */
  static List<String> cutoffs(Connection c, List<RetentionTarget> targets) throws SQLException {
    List<String> out = new ArrayList<>();
    c.setAutoCommit(false);
    try {
      for (RetentionTarget t : targets) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT to_char((now() - CAST(? AS interval)) AT TIME ZONE 'UTC',"
                    + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")) {
          ps.setString(1, t.rule().interval());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            out.add(rs.getString(1));
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      if (SqlStates.of(e) == SqlStates.Kind.BAD_VALUE) { // an interval PostgreSQL cannot subtract
        throw new FerryException(
            ErrorCode.USAGE, "a retention age does not fit: " + e.getMessage(), e);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    return out;
  }

  /** The rule's condition over the table's own columns, with the cutoff as its parameter. */
  static String condition(RetentionTarget t, String alias) {
    String bound =
        switch (t.type()) {
          case "timestamptz" -> "CAST(? AS timestamptz)";
          case "timestamp" -> "(CAST(? AS timestamptz) AT TIME ZONE 'UTC')";
          default -> "CAST((CAST(? AS timestamptz) AT TIME ZONE 'UTC') AS date)";
        };
    return (alias == null ? "" : alias + ".") + SqlText.ident(t.column()) + " < " + bound;
  }

  /** How many rows the rule would delete now. */
  static long count(Connection c, RetentionTarget t, String cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM "
                + SqlText.qualified(t.schema(), t.table())
                + " x WHERE "
                + condition(t, "x"))) {
      ps.setString(1, cutoff);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Deletes the expired rows batch by batch; the audit entries of the batches, in order. */
  static RuleOutcome sweep(
      Connection c, RetentionTarget t, String cutoff, int batchRows, Consumer<String> progress)
      throws SQLException {
    String keys = String.join(", ", t.key().stream().map(SqlText::ident).toList());
    String where =
        condition(t, null)
            + " AND ("
            + keys
            + ") IN (SELECT "
            + keys
            + " FROM "
            + SqlText.qualified(t.schema(), t.table())
            + " x WHERE "
            + condition(t, "x")
            + " LIMIT "
            + batchRows
            + ")";
    List<Long> audits = new ArrayList<>();
    long rows = 0;
    while (true) {
      int batch = audits.size() + 1;
      AuditLog.Where w =
          new AuditLog.Where(
              where,
              List.of(cutoff, cutoff),
              Map.of(
                  t.column(),
                  List.of("lt." + cutoff),
                  "retention",
                  List.of(t.rule().describe()),
                  "batch",
                  List.of(Integer.toString(batch))));
      AuditLog.Change change;
      try {
        AuditLog.begin(c);
        change =
            AuditLog.delete(
                c,
                WHO,
                t.schema(),
                t.table(),
                w,
                "ferry maintain: retention of "
                    + t.label()
                    + ", "
                    + t.rule().describe()
                    + " (before "
                    + cutoff
                    + "), batch "
                    + batch);
        if (change.rows() == 0) {
          c.rollback(); // no entry for an empty batch
        } else {
          c.commit();
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw failed(t, rows, audits, e);
      } finally {
        c.setAutoCommit(true);
      }
      if (change.rows() > 0) {
        audits.add(change.auditId());
        rows += change.rows();
        progress.accept(
            String.format(
                "  %s: batch %d deleted %,d rows (audit %d)",
                t.label(), batch, change.rows(), change.auditId()));
      }
      if (change.rows() < batchRows) {
        return new RuleOutcome(t, cutoff, rows, audits.size(), List.copyOf(audits), false);
      }
    }
  }

  /** A batch failed: it was rolled back; the message says what the earlier batches did. */
  private static FerryException failed(
      RetentionTarget t, long rows, List<Long> audits, Exception e) {
    String done =
        audits.isEmpty()
            ? "nothing of it was deleted"
            : String.format(
                "%,d rows were deleted before it, in %d batches (audit %s)",
                rows, audits.size(), joined(audits));
    String what =
        "retention of "
            + t.label()
            + " stopped: a batch failed and was rolled back; "
            + done
            + ": ";
    if (e instanceof FerryException fe) {
      return new FerryException(fe.code(), what + fe.getMessage(), e);
    }
    ErrorCode code =
        switch (SqlStates.of(e)) {
          case CONNECTION_LOST -> ErrorCode.TARGET_UNREACHABLE;
          case CANCELLED -> ErrorCode.TIMEOUT;
          case ACCESS_DENIED -> ErrorCode.FORBIDDEN;
          default -> ErrorCode.CONFLICT; // a constraint or trigger refused the delete
        };
    return new FerryException(code, what + e.getMessage(), e);
  }

  static String joined(List<Long> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).toList());
  }
}
