package dev.ferry.verify;

import dev.ferry.load.PostgresTarget;
import dev.ferry.load.Retry;
import dev.ferry.load.RowEncoder;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.TableChecksum;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Proves a loaded table equals its source: the package's entry point. {@link #checksum} asks the
 * server for the table's checksum (one query, which PostgreSQL may run in parallel); {@link
 * #compareRows} compares row by row and names the keys that differ.
 */
public final class Verifier {
  /** How much to verify. */
  public enum Mode {
    /** Row counts on both sides. */
    COUNT,
    /** Counts plus an order-independent checksum of every row's canonical encoding. */
    CHECKSUM,
    /** Checksums, then a row-by-row comparison by key naming the rows that differ. */
    FULL
  }

  /** Rows that differ, by key, at most {@link #SHOWN} of them listed. */
  public record Differences(long count, List<String> keys) {}

  static final int SHOWN = 20;

  private Verifier() {}

  /** The target table's checksum, computed by the server. */
  public static TableChecksum checksum(PostgresTarget target, TablePlan table) {
    String what = "checksum of " + table.qualified();
    try {
      return Retry.withBackoff(
          what,
          () -> {
            try (Connection c = target.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(ChecksumSql.table(table))) {
              rs.next();
              return new TableChecksum(rs.getLong(1), rs.getBigDecimal(2).toBigIntegerExact());
            }
          });
    } catch (SQLException | RuntimeException e) {
      throw VerifyFailure.of("cannot compute the " + what, table, e);
    }
  }

  /** The source table's checksum, read and converted exactly as a load would. */
  public static TableChecksum checksum(Source source, TablePlan table, BadValuePolicy policy) {
    RowEncoder encoder = new RowEncoder(table, policy);
    TableChecksum.Accumulator sums = new TableChecksum.Accumulator();
    try (RowCursor rows = source.openRows(table.source(), sourceColumns(table))) {
      while (rows.next()) {
        if (encoder.encode(rows)) { // rows set aside are not in the target: not counted
          sums.add(encoder.hash());
        }
      }
    }
    return sums.result();
  }

  /**
   * Compares every row: the source's (key hash, row hash, key text) are copied into a temporary
   * table and joined with the target's on the server, so memory stays bounded. Tables without a
   * primary key are compared as multisets of row hashes.
   */
  public static Differences compareRows(
      Source source, PostgresTarget target, TablePlan table, BadValuePolicy policy) {
    try {
      return new RowComparison(source, table, policy).run(target.dataSource());
    } catch (SQLException | IOException | RuntimeException e) {
      throw VerifyFailure.of("cannot compare the rows of " + table.qualified(), table, e);
    }
  }

  /**
   * The query of (key hash, row hash) of the target rows matching {@code where} (SQL text over the
   * target's column names): the same two values {@link RowEncoder#keyHash} and {@link
   * RowEncoder#hash} give for a source row, so a caller can compare chosen rows by key (live sync's
   * incremental verification). The table must have its primary key among its loaded columns.
   */
  public static String keyedHashesSql(TablePlan table, String where) {
    int[] key = new RowEncoder(table, BadValuePolicy.FAIL).keyPositions();
    if (key.length == 0) {
      throw new IllegalArgumentException(table.qualified() + " has no loaded primary key");
    }
    return "SELECT md5("
        + ChecksumSql.fieldBytes(table.loadedColumns(), key)
        + "), "
        + ChecksumSql.rowHash(table.loadedColumns())
        + " FROM "
        + ChecksumSql.sends(table, where);
  }

  static List<SourceColumn> sourceColumns(TablePlan table) {
    return table.loadedColumns().stream().map(ColumnPlan::source).toList();
  }
}
