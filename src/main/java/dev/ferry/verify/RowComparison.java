package dev.ferry.verify;

import dev.ferry.load.RowEncoder;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.sql.SqlText;
import dev.ferry.value.BadValuePolicy;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * One row-by-row comparison of a table with its source ({@link Verifier#compareRows}): the source's
 * rows, encoded as a load would, are copied as (key hash, row hash, key text) into a temporary
 * table, and the server FULL JOINs them with the target's rows by key. A table without a primary
 * key among its loaded columns is compared as a multiset of row hashes.
 */
final class RowComparison {
  private static final int BATCH_CHARS = 1 << 20;

  private final Source source;
  private final TablePlan table;
  private final List<ColumnPlan> loaded;
  private final int[] keyPositions;
  private final boolean keyed;
  private final RowEncoder encoder;

  RowComparison(Source source, TablePlan table, BadValuePolicy policy) {
    this.source = source;
    this.table = table;
    this.loaded = table.loadedColumns();
    List<SourceColumn> key = table.source().primaryKey();
    this.keyPositions = new int[key.size()];
    for (int i = 0; i < key.size(); i++) {
      keyPositions[i] = indexOf(loaded, key.get(i));
    }
    this.keyed = keyPositions.length > 0 && Arrays.stream(keyPositions).allMatch(p -> p >= 0);
    this.encoder = new RowEncoder(table, policy);
  }

  /** Compares on one connection of {@code target}, in a transaction that is rolled back. */
  Verifier.Differences run(DataSource target) throws SQLException, IOException {
    try (Connection c = target.getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(
          "CREATE TEMP TABLE ferry_source_rows (k text, h bigint, label text) ON COMMIT DROP");
      copySourceRows(c.unwrap(PGConnection.class).getCopyAPI());
      Verifier.Differences found = differences(st);
      c.rollback();
      return found;
    }
  }

  /** Streams the source's rows into ferry_source_rows, in batches of about a MiB of text. */
  private void copySourceRows(CopyManager copy) throws SQLException, IOException {
    StringBuilder batch = new StringBuilder();
    try (RowCursor rows = source.openRows(table.source(), Verifier.sourceColumns(table))) {
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
        if (batch.length() > BATCH_CHARS) {
          copy.copyIn("COPY ferry_source_rows FROM STDIN", new StringReader(batch.toString()));
          batch.setLength(0);
        }
      }
    }
    copy.copyIn("COPY ferry_source_rows FROM STDIN", new StringReader(batch.toString()));
  }

  /** Runs the comparison and keeps the first {@link Verifier#SHOWN} differences' keys. */
  private Verifier.Differences differences(Statement st) throws SQLException {
    List<String> keys = new ArrayList<>();
    long count = 0;
    try (ResultSet rs = st.executeQuery(keyed ? byKeySql() : asMultisetSql())) {
      while (rs.next()) {
        count++;
        if (keys.size() < Verifier.SHOWN) {
          keys.add((keyed ? "key " : "") + rs.getString(1) + ": " + rs.getString(2));
        }
      }
    }
    return new Verifier.Differences(count, keys);
  }

  /** Target rows by key hash, FULL JOINed with the source's: what is missing, extra or changed. */
  private String byKeySql() {
    List<ColumnPlan> keyColumns = new ArrayList<>();
    for (int p : keyPositions) {
      keyColumns.add(loaded.get(p));
    }
    String keyText =
        keyColumns.stream()
            .map(col -> SqlText.ident(col.name()) + "::text")
            .collect(Collectors.joining(" || ', ' || "));
    String targetRows =
        "SELECT md5("
            + ChecksumSql.fieldBytes(loaded, keyPositions)
            + ") AS k, "
            + ChecksumSql.rowHash(loaded)
            + " AS h, "
            + keyText
            + " AS label FROM "
            + ChecksumSql.sends(table);
    return "SELECT coalesce(t.label, s.label), CASE WHEN t.k IS NULL THEN 'missing in the target'"
        + " WHEN s.k IS NULL THEN 'not in the source' ELSE 'values differ' END"
        + " FROM ("
        + targetRows
        + ") t FULL JOIN ferry_source_rows s ON s.k = t.k WHERE t.h IS DISTINCT FROM s.h";
  }

  /** Row hashes counted on both sides: which rows occur a different number of times. */
  private String asMultisetSql() {
    String targetRows =
        "SELECT "
            + ChecksumSql.rowHash(loaded)
            + "::text AS k, "
            + ChecksumSql.rowHash(loaded)
            + " AS h, '' AS label FROM "
            + ChecksumSql.sends(table);
    return "SELECT 'rows with hash ' || coalesce(t.k, s.k), 'source has ' || coalesce(s.n, 0)"
        + " || ', target has ' || coalesce(t.n, 0)"
        + " FROM (SELECT k, count(*) n FROM ("
        + targetRows
        + ") x GROUP BY k) t"
        + " FULL JOIN (SELECT k, count(*) n FROM ferry_source_rows GROUP BY k) s ON s.k = t.k"
        + " WHERE t.n IS DISTINCT FROM s.n";
  }

  private static int indexOf(List<ColumnPlan> loaded, SourceColumn column) {
    for (int i = 0; i < loaded.size(); i++) {
      if (loaded.get(i).source().name().equals(column.name())) {
        return i;
      }
    }
    return -1;
  }

  /** The source row's key as the user wrote it, for naming the rows that differ. */
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
