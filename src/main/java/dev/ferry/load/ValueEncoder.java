package dev.ferry.load;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.EpochUnit;
import dev.ferry.source.RowCursor;
import dev.ferry.value.Booleans;
import dev.ferry.value.JsonText;
import dev.ferry.value.RealText;
import dev.ferry.value.Repairs;
import dev.ferry.value.Timestamps;
import dev.ferry.value.Utf8;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Writes one column's stored values as binary COPY fields of the column's target type. The
 * conversions are exactly the ones {@code plan.ColumnProfile} checked, so on an unchanged source a
 * value that does not convert cannot occur; if it does (the file changed under us), {@link
 * BadValue} says which and why rather than loading something else.
 */
@FunctionalInterface
interface ValueEncoder {

  void write(RowCursor row, int i, FieldBuffer out);

  /** A stored value the target type cannot hold. */
  final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    BadValue(String message, String reason) {
      super(message, null, false, false);
      this.reason = reason;
    }

    /** Why the value cannot be loaded as stored, without the value itself. */
    String reason() {
      return reason;
    }
  }

  static ValueEncoder forColumn(ColumnPlan column) {
    return forColumn(column, false);
  }

  /**
   * With {@code profiled}, every row reaches this encoder only after a one-pass load's profile
   * ({@code plan.SampledTable}) accepted it under the column's type: a text column planned to need
   * no repair then skips its UTF-8 check, which that profile has just made on the same bytes (a
   * value failing it changes the column's type and stops the load before it is encoded; the server
   * checks UTF-8 again on input).
   */
  static ValueEncoder forColumn(ColumnPlan column, boolean profiled) {
    if (profiled
        && column.type().kind() == dev.ferry.plan.PgType.Kind.TEXT
        && column.choice().repairs() == 0) {
      return ValueEncoder::profiledText;
    }
    return switch (column.type().kind()) {
      case BOOLEAN -> ValueEncoder::bool;
      case SMALLINT -> (r, i, o) -> integer(r, i, o, 2);
      case INTEGER -> (r, i, o) -> integer(r, i, o, 4);
      case BIGINT -> (r, i, o) -> integer(r, i, o, 8);
      case DOUBLE -> ValueEncoder::float8;
      case NUMERIC -> ValueEncoder::numeric;
      case TEXT -> ValueEncoder::text;
      case VARCHAR -> varchar(column.type().length());
      case JSONB ->
          column.choice().repairs() > 0 ? ValueEncoder::checkedJsonb : ValueEncoder::jsonb;
      case TIMESTAMPTZ -> timestamp(column.choice().epoch());
      case DATE -> ValueEncoder::date;
      case BYTEA -> ValueEncoder::bytea;
    };
  }

  private static void bool(RowCursor r, int i, FieldBuffer o) {
    int v;
    switch (r.type(i)) {
      case RowCursor.NULL -> {
        o.nullField();
        return;
      }
      case RowCursor.INTEGER -> v = r.longValue(i) == 0 ? 0 : r.longValue(i) == 1 ? 1 : -1;
      case RowCursor.TEXT -> v = Booleans.parse(r.bytes(i));
      default -> v = -1;
    }
    if (v < 0) {
      throw bad(r, i, "not a boolean");
    }
    o.int32(1);
    o.int8(v);
  }

  private static void integer(RowCursor r, int i, FieldBuffer o, int width) {
    long v;
    switch (r.type(i)) {
      case RowCursor.NULL -> {
        o.nullField();
        return;
      }
      case RowCursor.INTEGER -> v = r.longValue(i);
      case RowCursor.REAL -> { // only under a forced cast: inference never mixes these
        double d = r.doubleValue(i);
        if (d != Math.rint(d) || Math.abs(d) >= 9.2e18) {
          throw bad(r, i, "not an integer");
        }
        v = (long) d;
      }
      case RowCursor.TEXT -> v = parseLong(r, i);
      default -> throw bad(r, i, "not an integer");
    }
    o.int32(width);
    switch (width) {
      case 2 -> {
        if (v != (short) v) {
          throw bad(r, i, "out of smallint range");
        }
        o.int16((int) v);
      }
      case 4 -> {
        if (v != (int) v) {
          throw bad(r, i, "out of integer range");
        }
        o.int32((int) v);
      }
      default -> o.int64(v);
    }
  }

  private static void float8(RowCursor r, int i, FieldBuffer o) {
    double d;
    switch (r.type(i)) {
      case RowCursor.NULL -> {
        o.nullField();
        return;
      }
      case RowCursor.INTEGER -> {
        long v = r.longValue(i);
        d = v;
        if ((long) d != v) {
          throw bad(r, i, "integer too large for double precision");
        }
      }
      case RowCursor.REAL -> d = r.doubleValue(i);
      case RowCursor.TEXT -> d = parseDecimal(r, i).doubleValue();
      default -> throw bad(r, i, "not a number");
    }
    o.int32(8);
    o.int64(Double.doubleToRawLongBits(d));
  }

  private static void numeric(RowCursor r, int i, FieldBuffer o) {
    switch (r.type(i)) {
      case RowCursor.NULL -> o.nullField();
      case RowCursor.INTEGER -> NumericBinary.write(o, BigDecimal.valueOf(r.longValue(i)));
      case RowCursor.REAL -> NumericBinary.write(o, r.doubleValue(i));
      case RowCursor.TEXT -> NumericBinary.write(o, parseDecimal(r, i));
      default -> throw bad(r, i, "not a number");
    }
  }

  private static void text(RowCursor r, int i, FieldBuffer o) {
    switch (r.type(i)) {
      case RowCursor.NULL -> o.nullField();
      case RowCursor.INTEGER ->
          o.field(Long.toString(r.longValue(i)).getBytes(StandardCharsets.US_ASCII));
      case RowCursor.REAL -> o.field(RealText.bytes(r.doubleValue(i)));
      case RowCursor.TEXT -> {
        byte[] b = r.bytes(i);
        if (Utf8.pgTextLength(b) < 0) {
          throw bad(r, i, Repairs.textProblem(b));
        }
        o.field(b);
      }
      default -> throw bad(r, i, "a blob in a text column");
    }
  }

  /** {@link #text} for values already found to be valid UTF-8 without NUL. */
  private static void profiledText(RowCursor r, int i, FieldBuffer o) {
    if (r.type(i) == RowCursor.TEXT) {
      o.field(r.bytes(i));
    } else {
      text(r, i, o);
    }
  }

  private static ValueEncoder varchar(int length) {
    return (r, i, o) -> {
      if (r.type(i) == RowCursor.TEXT && Utf8.pgTextLength(r.bytes(i)) > length) {
        throw bad(r, i, "longer than varchar(" + length + ")");
      }
      text(r, i, o);
    };
  }

  /** Digits with an optional minus sign: an integer written as text. */
  java.util.regex.Pattern INTEGER_TEXT = java.util.regex.Pattern.compile("-?\\d{1,19}");

  /** An integer written as text, under a forced cast: digits with an optional minus sign. */
  private static long parseLong(RowCursor r, int i) {
    String s = new String(r.bytes(i), StandardCharsets.UTF_8).trim();
    if (!INTEGER_TEXT.matcher(s).matches()) {
      throw bad(r, i, "not an integer");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw bad(r, i, "out of bigint range");
    }
  }

  /** A number written as text, under a forced cast. */
  private static BigDecimal parseDecimal(RowCursor r, int i) {
    try {
      return new BigDecimal(new String(r.bytes(i), StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      throw bad(r, i, "not a number");
    }
  }

  private static void jsonb(RowCursor r, int i, FieldBuffer o) {
    switch (r.type(i)) {
      case RowCursor.NULL -> o.nullField();
      case RowCursor.TEXT -> jsonbField(o, r.bytes(i));
      case RowCursor.INTEGER ->
          jsonbField(o, Long.toString(r.longValue(i)).getBytes(StandardCharsets.US_ASCII));
      case RowCursor.REAL ->
          jsonbField(o, Double.toString(r.doubleValue(i)).getBytes(StandardCharsets.US_ASCII));
      default -> throw bad(r, i, "not JSON text");
    }
  }

  /** jsonb for a column known to hold values jsonb cannot take as they are. */
  private static void checkedJsonb(RowCursor r, int i, FieldBuffer o) {
    if (r.type(i) == RowCursor.TEXT) {
      int kind = JsonText.classify(r.bytes(i));
      if (kind == JsonText.INVALID) {
        throw bad(r, i, "not JSON");
      }
      if ((kind & JsonText.REPAIRABLE) != 0) {
        throw bad(
            r,
            i,
            "JSON that jsonb cannot hold exactly (\\u0000, duplicate keys or invalid UTF-8):"
                + " repaired as jsonb would read it");
      }
    }
    jsonb(r, i, o);
  }

  private static void jsonbField(FieldBuffer o, byte[] json) {
    o.int32(json.length + 1);
    o.int8(1); // jsonb binary format version
    o.write(json, 0, json.length);
  }

  private static ValueEncoder timestamp(EpochUnit unit) {
    return (r, i, o) -> {
      long micros;
      switch (r.type(i)) {
        case RowCursor.NULL -> {
          o.nullField();
          return;
        }
        case RowCursor.TEXT -> micros = Timestamps.micros(r.bytes(i));
        case RowCursor.INTEGER -> {
          long v = r.longValue(i);
          micros =
              switch (unit) {
                case SECONDS -> Timestamps.fromEpochSeconds(v);
                case MILLISECONDS -> Timestamps.fromEpochMillis(v);
                case NONE -> Timestamps.INVALID;
              };
        }
        default -> micros = Timestamps.INVALID;
      }
      if (micros == Timestamps.INVALID) {
        throw bad(r, i, "not a timestamp");
      }
      o.int32(8);
      o.int64(micros);
    };
  }

  private static void date(RowCursor r, int i, FieldBuffer o) {
    switch (r.type(i)) {
      case RowCursor.NULL -> o.nullField();
      case RowCursor.TEXT -> {
        byte[] b = r.bytes(i);
        long days = b.length == 10 ? Timestamps.dateDays(b) : Timestamps.INVALID;
        if (days == Timestamps.INVALID) {
          throw bad(r, i, "not a date");
        }
        o.int32(4);
        o.int32((int) days);
      }
      default -> throw bad(r, i, "not a date");
    }
  }

  private static void bytea(RowCursor r, int i, FieldBuffer o) {
    switch (r.type(i)) {
      case RowCursor.NULL -> o.nullField();
      case RowCursor.TEXT, RowCursor.BLOB -> o.field(r.bytes(i));
      case RowCursor.INTEGER ->
          o.field(Long.toString(r.longValue(i)).getBytes(StandardCharsets.US_ASCII));
      default -> o.field(RealText.bytes(r.doubleValue(i)));
    }
  }

  private static BadValue bad(RowCursor r, int i, String why) {
    String shown =
        switch (r.type(i)) {
          case RowCursor.INTEGER -> Long.toString(r.longValue(i));
          case RowCursor.REAL -> RealText.of(r.doubleValue(i));
          case RowCursor.TEXT, RowCursor.BLOB -> "'" + printable(r.bytes(i)) + "'";
          default -> "NULL";
        };
    return new BadValue(r.rowKey() + ": value " + shown + ": " + why, why);
  }

  /**
   * A value for messages: at most 60 characters, control characters escaped (\0, \x07), bytes that
   * are not UTF-8 shown as \xNN, so a message can always be printed and stored.
   */
  static String printable(byte[] b) {
    StringBuilder s = new StringBuilder();
    java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(4);
    while (in.hasRemaining() && s.length() < 60) {
      out.clear();
      int before = in.position();
      java.nio.charset.CoderResult res = d.decode(in, out.limit(1), true);
      out.flip();
      if (res.isMalformed() || res.isUnmappable()) {
        for (int k = 0; k < res.length(); k++) {
          s.append(String.format("\\x%02x", b[before + k] & 0xff));
        }
        in.position(before + res.length());
      } else if (out.hasRemaining()) {
        char c = out.get();
        if (c == 0) {
          s.append("\\0");
        } else if (c < 0x20 || c == 0x7f) {
          s.append(String.format("\\x%02x", (int) c));
        } else {
          s.append(c);
        }
      } else if (in.position() == before) {
        in.position(before + 1); // a surrogate pair needs two chars: show the byte
        s.append(String.format("\\x%02x", b[before] & 0xff));
      }
    }
    return in.hasRemaining() ? s + "…" : s.toString();
  }
}
