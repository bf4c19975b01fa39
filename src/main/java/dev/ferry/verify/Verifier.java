package dev.ferry.verify;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.load.RowEncoder;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.sql.SqlText;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.TableChecksum;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;

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
    try {
      return target.withRetry(
          "checksum of " + table.qualified(),
          () -> {
            try (Connection c = target.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(ChecksumSql.table(table))) {
              rs.next();
              return new TableChecksum(rs.getLong(1), rs.getBigDecimal(2).toBigIntegerExact());
            }
          });
    } catch (RuntimeException e) {
      if (e instanceof FerryException) {
        throw e;
      }
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot compute the checksum of " + table.qualified() + ": " + e.getMessage(),
          e);
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
    List<ColumnPlan> loaded = table.loadedColumns();
    List<SourceColumn> key = table.source().primaryKey();
    int[] keyPositions = new int[key.size()];
    for (int i = 0; i < key.size(); i++) {
      keyPositions[i] = indexOf(loaded, key.get(i));
    }
    boolean keyed =
        keyPositions.length > 0 && java.util.Arrays.stream(keyPositions).allMatch(p -> p >= 0);
    RowEncoder encoder = new RowEncoder(table, policy);
    try (Connection c = target.dataSource().getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(
          "CREATE TEMP TABLE ferry_source_rows (k text, h bigint, label text) ON COMMIT DROP");
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder batch = new StringBuilder();
      try (RowCursor rows = source.openRows(table.source(), sourceColumns(table))) {
        while (rows.next()) {
          if (!encoder.encode(rows)) {
            continue; // set aside: recorded in ferry.rejects, not expected in the target
          }
          long h = encoder.hash();
          String k = keyed ? encoder.keyHash(keyPositions) : Long.toString(h);
          batch
              .append(k)
              .append('\t')
              .append(h)
              .append('\t')
              .append(SqlText.copyText(keyed ? label(rows, keyPositions) : ""))
              .append('\n');
          if (batch.length() > 1 << 20) {
            copy.copyIn("COPY ferry_source_rows FROM STDIN", new StringReader(batch.toString()));
            batch.setLength(0);
          }
        }
      }
      copy.copyIn("COPY ferry_source_rows FROM STDIN", new StringReader(batch.toString()));
      String targetRows;
      if (keyed) {
        List<ColumnPlan> keyColumns = new ArrayList<>();
        for (int p : keyPositions) {
          keyColumns.add(loaded.get(p));
        }
        String keyText =
            keyColumns.stream()
                .map(col -> SqlText.ident(col.name()) + "::text")
                .collect(Collectors.joining(" || ', ' || "));
        targetRows =
            "SELECT md5("
                + ChecksumSql.fieldBytes(loaded, keyPositions)
                + ") AS k, "
                + ChecksumSql.rowHash(loaded)
                + " AS h, "
                + keyText
                + " AS label FROM "
                + ChecksumSql.sends(table);
      } else {
        targetRows =
            "SELECT "
                + ChecksumSql.rowHash(loaded)
                + "::text AS k, "
                + ChecksumSql.rowHash(loaded)
                + " AS h, '' AS label FROM "
                + ChecksumSql.sends(table);
      }
      String diff =
          keyed
              ? "SELECT coalesce(t.label, s.label), CASE WHEN t.k IS NULL THEN 'missing in the target'"
                  + " WHEN s.k IS NULL THEN 'not in the source' ELSE 'values differ' END"
                  + " FROM ("
                  + targetRows
                  + ") t FULL JOIN ferry_source_rows s ON s.k = t.k WHERE t.h IS DISTINCT FROM s.h"
              : "SELECT 'rows with hash ' || coalesce(t.k, s.k), 'source has ' || coalesce(s.n, 0) || ', target has ' || coalesce(t.n, 0)"
                  + " FROM (SELECT k, count(*) n FROM ("
                  + targetRows
                  + ") x GROUP BY k) t"
                  + " FULL JOIN (SELECT k, count(*) n FROM ferry_source_rows GROUP BY k) s ON s.k = t.k WHERE t.n IS DISTINCT FROM s.n";
      List<String> keys = new ArrayList<>();
      long count = 0;
      try (ResultSet rs = st.executeQuery(diff)) {
        while (rs.next()) {
          count++;
          if (keys.size() < SHOWN) {
            keys.add((keyed ? "key " : "") + rs.getString(1) + ": " + rs.getString(2));
          }
        }
      }
      c.rollback();
      return new Differences(count, keys);
    } catch (SQLException | IOException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot compare the rows of " + table.qualified() + ": " + e.getMessage(),
          e);
    }
  }

  private static List<SourceColumn> sourceColumns(TablePlan table) {
    return table.loadedColumns().stream().map(ColumnPlan::source).toList();
  }

  private static int indexOf(List<ColumnPlan> loaded, SourceColumn column) {
    for (int i = 0; i < loaded.size(); i++) {
      if (loaded.get(i).source().name().equals(column.name())) {
        return i;
      }
    }
    return -1;
  }

  private static String label(RowCursor rows, int[] positions) {
    List<String> parts = new ArrayList<>();
    for (int p : positions) {
      parts.add(
          switch (rows.type(p)) {
            case RowCursor.NULL -> "NULL";
            case RowCursor.INTEGER -> Long.toString(rows.longValue(p));
            case RowCursor.REAL -> BigDecimal.valueOf(rows.doubleValue(p)).toPlainString();
            case RowCursor.TEXT -> new String(rows.bytes(p), StandardCharsets.UTF_8);
            default -> "\\x" + HexFormat.of().formatHex(rows.bytes(p));
          });
    }
    return String.join(", ", parts);
  }
}
