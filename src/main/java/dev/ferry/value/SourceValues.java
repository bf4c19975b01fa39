package dev.ferry.value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.regex.Pattern;

/**
 * Reading a source value (null, Long, Double, String, byte[], or a transform's BigDecimal, Boolean,
 * Instant, LocalDateTime, LocalDate) as text or as an exact number, refusing what cannot be read
 * without loss. Shared by the conversions of each kind.
 */
final class SourceValues {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final int SHOWN = 40;

  private SourceValues() {}

  /**
   * The value as text PostgreSQL can hold (valid Unicode, no NUL): texts as they are, valid UTF-8
   * blobs decoded, numbers as Ferry writes them, times as PostgreSQL prints them (UTC).
   */
  static String text(Object v) throws ValueDoesNotFit {
    if (v instanceof String s) {
      checkText(s);
      return s;
    }
    if (v instanceof byte[] b) {
      if (Utf8.pgTextLength(b) < 0) {
        throw new ValueDoesNotFit(
            "a blob of "
                + b.length
                + " bytes that is not UTF-8 text without NUL bytes cannot be held as text");
      }
      return new String(b, StandardCharsets.UTF_8);
    }
    if (v instanceof Long || v instanceof Integer) {
      return v.toString();
    }
    if (v instanceof Double d) {
      return RealText.of(d);
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (v instanceof Instant i) {
      return TimeText.timestamp(TimeText.micros(i)) + "+00";
    }
    if (v instanceof LocalDateTime t) {
      return TimeText.timestamp(TimeText.micros(t));
    }
    if (v instanceof LocalDate d) {
      return TimeText.date(d);
    }
    throw new IllegalArgumentException("not a source value: " + v.getClass().getName());
  }

  static void checkText(String s) throws ValueDoesNotFit {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw new ValueDoesNotFit("a NUL character cannot be held in PostgreSQL text");
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new ValueDoesNotFit("a lone UTF-16 surrogate is not a character");
        }
      }
    }
  }

  /** True for a Double that is NaN or infinite (the caller decides whether the type holds it). */
  static boolean nonFinite(Object v) {
    return v instanceof Double d && !Double.isFinite(d);
  }

  /**
   * The exact decimal a finite value stands for: a Long itself, a REAL the shortest decimal that
   * reads back as it (what SQLite users see, and what PostgreSQL's float8 prints), a text written
   * as a decimal number (surrounding spaces allowed, as PostgreSQL allows them).
   */
  static BigDecimal decimal(Object v, String typeName) throws ValueDoesNotFit {
    if (v instanceof Long l) {
      return BigDecimal.valueOf(l);
    }
    if (v instanceof Integer i) {
      return BigDecimal.valueOf(i);
    }
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        throw new ValueDoesNotFit(RealText.of(d) + " is not a number " + typeName + " holds");
      }
      return new BigDecimal(RealText.of(d));
    }
    if (v instanceof String || v instanceof byte[]) {
      String s = text(v).strip();
      if (!DECIMAL.matcher(s).matches()) {
        throw new ValueDoesNotFit(shown(v) + " is not a number");
      }
      BigDecimal d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
      if (Math.abs((long) d.scale()) > 1000 || d.precision() - (long) d.scale() > 1000) {
        throw new ValueDoesNotFit(shown(v) + " has more than 1000 digits");
      }
      return d;
    }
    throw new ValueDoesNotFit(kindOf(v) + " is not a number");
  }

  /** The value quoted for a message, cut to a readable length. */
  static String shown(Object v) {
    String s;
    if (v instanceof String t) {
      s = t;
    } else if (v instanceof byte[] b) {
      s = new String(b, StandardCharsets.UTF_8);
    } else {
      return String.valueOf(v);
    }
    int cps = s.codePointCount(0, s.length());
    if (cps > SHOWN) {
      s = s.substring(0, s.offsetByCodePoints(0, SHOWN)) + "…";
    }
    return '"' + s + '"';
  }

  /** What a value is, for messages: "a REAL", "an INTEGER", "a blob", "a text". */
  static String kindOf(Object v) {
    if (v instanceof Long || v instanceof Integer) {
      return "an INTEGER (" + v + ")";
    }
    if (v instanceof Double d) {
      return "a REAL (" + RealText.of(d) + ")";
    }
    if (v instanceof byte[] b) {
      return "a blob of " + b.length + " bytes";
    }
    if (v instanceof Boolean b) {
      return "a boolean (" + b + ")";
    }
    if (v instanceof Instant || v instanceof LocalDateTime || v instanceof LocalDate) {
      return "a date/time (" + v + ")";
    }
    return "the text " + shown(v);
  }
}
