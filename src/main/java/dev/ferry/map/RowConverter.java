package dev.ferry.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import dev.ferry.value.Utf8;
import dev.ferry.value.ValueDoesNotFit;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One source row as the mapping promised it: each carried value taken as RowCursor stores it (null,
 * Long, Double, String, byte[]), its transform applied, then converted to the target column's
 * declared type as the COPY text field PostgreSQL will store; constants of {@code set:} after them.
 * Load and verification both use it, each on its own reading of the source.
 */
final class RowConverter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MappedTable table;
  private final String[] fields;
  private String badColumn;
  private String badReason;

  RowConverter(MappedTable table) {
    this.table = table;
    this.fields = new String[table.columns().size()];
  }

  /** Converts the cursor's current row; false when a value does not fit (see {@link #reason}). */
  boolean convert(RowCursor row) {
    List<MappedColumn> columns = table.columns();
    for (int i = 0; i < columns.size(); i++) {
      MappedColumn c = columns.get(i);
      try {
        Object v = c.sourceIndex() >= 0 ? value(row, c.sourceIndex()) : c.constant();
        if (c.transform() != null) {
          v = c.transform().apply(v);
        }
        String text = c.conversion().copyText(v);
        if (text == null && c.target().notNull()) { // an explicit NULL never takes the default
          throw new ValueDoesNotFit("NULL in NOT NULL column " + c.target().name());
        }
        fields[i] = text;
      } catch (ValueDoesNotFit e) {
        badColumn = c.source() != null ? c.source() : c.target().name();
        badReason = e.getMessage();
        return false;
      }
    }
    return true;
  }

  /** The converted fields of the last row that converted. */
  String[] fields() {
    return fields;
  }

  /** Why the last row did not convert: "column X → target Y: reason". */
  String reason() {
    return "column " + badColumn + ": " + badReason;
  }

  /** The source value as RowCursor stores it; TEXT that is not valid UTF-8 stays bytes. */
  static Object value(RowCursor row, int i) {
    return switch (row.type(i)) {
      case RowCursor.NULL -> null;
      case RowCursor.INTEGER -> row.longValue(i);
      case RowCursor.REAL -> row.doubleValue(i);
      case RowCursor.TEXT ->
          Utf8.pgTextLength(row.bytes(i)) >= 0
              ? new String(row.bytes(i), StandardCharsets.UTF_8)
              : row.bytes(i).clone();
      default -> row.bytes(i).clone();
    };
  }

  /** Every read value of the current row, verbatim, as ferry.rejects keeps it. */
  String original(RowCursor row) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    List<SourceColumn> read = table.read();
    for (int i = 0; i < read.size(); i++) {
      out.set(read.get(i).name(), json(row, i));
    }
    return out.toString();
  }

  /** The row's key for messages and ferry.rejects: the source's primary key, else its rowid. */
  String key(RowCursor row) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    List<SourceColumn> read = table.read();
    boolean any = false;
    for (SourceColumn pk : table.source().primaryKey()) {
      int i = read.indexOf(pk);
      if (i >= 0) {
        out.set(pk.name(), json(row, i));
        any = true;
      }
    }
    if (!any) {
      if (row.rowid() != Long.MIN_VALUE) {
        out.put("rowid", row.rowid());
      } else {
        out.put("row", row.rowKey());
      }
    }
    return out.toString();
  }

  private static JsonNode json(RowCursor row, int i) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Object v = value(row, i);
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Long l) {
      return f.numberNode(l);
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? f.numberNode(d) : f.textNode(d.toString());
    }
    if (v instanceof String s) {
      return f.textNode(s);
    }
    return f.objectNode().put("base64", Base64.getEncoder().encodeToString((byte[]) v));
  }

  static String toJson(Object o) {
    return JSON.valueToTree(o).toString();
  }
}
