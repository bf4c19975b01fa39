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

  /** The rule's condition over the table's own columns, with the cutoff as its parameter. */
  static String condition(RetentionTarget t, String alias) {
    // the cutoff is typed like the column: no cast of the column, no session zone involved
    return (alias == null ? "" : alias + ".")
        + SqlText.ident(t.column())
        + " < CAST(? AS "
        + t.type()
        + ")";
  }

  /** How many rows the rule would delete now. */
  static long count(Connection c, RetentionTarget t, Cutoff cutoff) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM "
                + SqlText.qualified(t.schema(), t.table())
                + " x WHERE "
                + condition(t, "x"))) {
      ps.setString(1, cutoff.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Deletes the expired rows batch by batch; the audit entries of the batches, in order. */
  static RuleOutcome sweep(
      Connection c, RetentionTarget t, Cutoff cutoff, int batchRows, Consumer<String> progress)
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
              List.of(cutoff.value(), cutoff.value()),
              Map.of(
                  t.column(),
                  List.of("lt." + cutoff.value()),
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
                    + cutoff.shown()
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
    // a constraint or trigger refused the delete
    ErrorCode code = SqlStates.errorCode(e, ErrorCode.CONFLICT);
    return new FerryException(code, what + e.getMessage(), e);
  }

  static String joined(List<Long> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).toList());
  }
}
