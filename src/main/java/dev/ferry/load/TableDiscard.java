package dev.ferry.load;

import dev.ferry.plan.TablePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;

/**
 * Removes everything a run committed of one table it created, so that the table loads again from
 * its first chunk: the table, and its checkpoints, fixups and rejects, in one transaction (a run
 * killed during it resumes either with all of it or with none of it). The table's row in
 * ferry.objects stays: it says the run created (and perhaps replaced) that name, which is still
 * true, and the first chunk of the new load records it again as a no-op.
 *
 * <p>Why: a table whose types came from a sample commits chunks before its last row is read; when a
 * later value does not fit those types, the table is planned from a full profile and its committed
 * chunks, loaded under the sampled types, are not what that plan loads.
 */
final class TableDiscard {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableDiscard.class);

  private TableDiscard() {}

  static void discard(PostgresTarget target, UUID run, TablePlan table) {
    target.withRetry(
        "removing what was loaded of table " + table.source().name() + " to load it again",
        () -> {
          try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
              // no CASCADE: nothing may depend on a table still loading (keys and views come
              // after every load); if something does, the run stops rather than drop it
              st.execute("DROP TABLE IF EXISTS " + table.qualified());
            }
            for (String bookkeeping : new String[] {"checkpoints", "fixups", "rejects"}) {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "DELETE FROM ferry."
                          + bookkeeping
                          + " WHERE run_id = ? AND source_table = ?")) {
                ps.setObject(1, run);
                ps.setString(2, table.source().name());
                ps.executeUpdate();
              }
            }
            c.commit();
            return null;
          }
        });
    LOG.info(
        "table {}: removed what this run had committed of it, to load it again",
        table.source().name());
  }
}
