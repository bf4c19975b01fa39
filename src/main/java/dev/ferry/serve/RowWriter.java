package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Rows as JSON with their real types: jsonb as JSON, numbers as numbers, the rest as text. */
final class RowWriter {
  private RowWriter() {}

  static void row(JsonGenerator g, ResultSet rs, List<Catalog.Column> columns)
      throws IOException, SQLException {
    g.writeStartObject();
    for (int i = 0; i < columns.size(); i++) {
      Catalog.Column c = columns.get(i);
      g.writeFieldName(c.name());
      value(g, rs.getString(i + 1), c.type());
    }
    g.writeEndObject();
  }

  static void value(JsonGenerator g, String v, String type) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    switch (type) {
      case "jsonb", "json" -> g.writeRawValue(v);
      case "bigint", "integer", "smallint" -> {
        if (safeInteger(v)) {
          g.writeNumber(v);
        } else {
          g.writeString(v); // JavaScript would round it: sent as its exact text
        }
      }
      case "numeric" -> {
        if (v.equals("NaN") || v.contains("Infinity") || significantDigits(v) > 15) {
          g.writeString(v);
        } else {
          g.writeNumber(v);
        }
      }
      case "double precision", "real" -> {
        if (v.equals("NaN") || v.contains("Infinity")) {
          g.writeString(v);
        } else {
          g.writeNumber(v); // the shortest text of a double: JavaScript reads the same double
        }
      }
      case "boolean" -> g.writeBoolean(v.equals("t") || v.equals("true"));
      default -> g.writeString(v);
    }
  }

  private static final long MAX_SAFE = (1L << 53) - 1;

  /** An integer JavaScript holds exactly (|v| < 2^53). */
  static boolean safeInteger(String v) {
    if (v.length() > 17) {
      return false;
    }
    long n = Long.parseLong(v);
    return n >= -MAX_SAFE && n <= MAX_SAFE;
  }

  private static int significantDigits(String v) {
    int digits = 0;
    boolean leading = true;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ((c >= '1' && c <= '9') || (c == '0' && !leading)) {
        digits++;
        leading = false;
      }
    }
    return digits;
  }

  /** A CSV field: quoted when it holds a comma, quote or line break. */
  static String csv(String v) {
    if (v == null) {
      return "";
    }
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
