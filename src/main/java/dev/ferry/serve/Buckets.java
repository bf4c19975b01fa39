package dev.ferry.serve;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A histogram's buckets over a numeric or time column: equal widths of a round size (1, 2 or 5
 * times a power of ten; for times a second, minute, hour, day, week…), starting at a multiple of
 * the width, enough of them to cover min..max (at most the asked number, plus one). Values are
 * positions on a line: the number itself, days since 1970 for dates, microseconds since 1970 (UTC)
 * for times; {@link #text} writes a position back as the column's type reads it.
 *
 * <p>Bucket {@code i} holds {@code lower <= v < upper}; the first also holds anything below its
 * upper bound and the last anything from its lower bound up, exactly as PostgreSQL's {@code
 * width_bucket(v, thresholds)} counts them, so a sample that missed the extremes still counts every
 * row.
 */
final class Buckets {
  /** How a column's values become positions. */
  enum Kind {
    INTEGER,
    DECIMAL,
    DATE,
    TIME,
    LOCAL_TIME;

    /** The kind of a catalog type, or null when a histogram does not apply. */
    static Kind of(String declared) {
      String type = declared.replaceAll("\\(\\d+(,\\d+)?\\)", ""); // numeric(10,2), timestamp(3)
      if (type.equals("smallint") || type.equals("integer") || type.equals("bigint")) {
        return INTEGER;
      }
      if (type.startsWith("numeric") || type.equals("real") || type.equals("double precision")) {
        return DECIMAL;
      }
      return switch (type) {
        case "date" -> DATE;
        case "timestamp with time zone" -> TIME;
        case "timestamp without time zone" -> LOCAL_TIME;
        default -> null;
      };
    }

    /** SQL for a value's position (a number) from {@code x}. */
    String position(String x) {
      return switch (this) {
        case INTEGER, DECIMAL -> "(" + x + ")::numeric";
        case DATE -> "((" + x + ") - DATE '1970-01-01')";
        case TIME, LOCAL_TIME -> "round(extract(epoch FROM " + x + ")::numeric * 1000000)";
      };
    }

    boolean time() {
      return this == DATE || this == TIME || this == LOCAL_TIME;
    }
  }

  private static final long SECOND = 1_000_000L;
  private static final long[] TIME_WIDTHS = {
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    60 * SECOND,
    120 * SECOND,
    300 * SECOND,
    600 * SECOND,
    900 * SECOND,
    1800 * SECOND,
    3600 * SECOND,
    7200 * SECOND,
    3 * 3600 * SECOND,
    6 * 3600 * SECOND,
    12 * 3600 * SECOND,
    86_400 * SECOND,
    2 * 86_400 * SECOND,
    7 * 86_400 * SECOND,
    14 * 86_400 * SECOND,
    30 * 86_400 * SECOND,
    91 * 86_400 * SECOND,
    365 * 86_400 * SECOND
  };
  private static final long[] DAY_WIDTHS = {1, 2, 7, 14, 30, 91, 365};

  final Kind kind;
  final BigDecimal start;
  final BigDecimal width;
  final int count;

  private Buckets(Kind kind, BigDecimal start, BigDecimal width, int count) {
    this.kind = kind;
    this.start = start;
    this.width = width;
    this.count = count;
  }

  /** Buckets of a round width covering {@code min..max} in about {@code wanted} of them. */
  static Buckets over(Kind kind, BigDecimal min, BigDecimal max, int wanted) {
    BigDecimal raw = max.subtract(min).divide(BigDecimal.valueOf(wanted), 20, RoundingMode.CEILING);
    BigDecimal width = width(kind, raw);
    BigDecimal start = min.divide(width, 0, RoundingMode.FLOOR).multiply(width);
    int count = max.subtract(start).divide(width, 0, RoundingMode.FLOOR).intValueExact() + 1;
    return new Buckets(kind, start, width, count);
  }

  private static BigDecimal width(Kind kind, BigDecimal raw) {
    if (kind == Kind.DATE || kind == Kind.TIME || kind == Kind.LOCAL_TIME) {
      long[] widths = kind == Kind.DATE ? DAY_WIDTHS : TIME_WIDTHS;
      for (long w : widths) {
        if (raw.compareTo(BigDecimal.valueOf(w)) <= 0) {
          return BigDecimal.valueOf(w);
        }
      }
      BigDecimal year = BigDecimal.valueOf(widths[widths.length - 1]);
      return year.multiply(round(raw.divide(year, 20, RoundingMode.CEILING)));
    }
    BigDecimal w = round(raw);
    return kind == Kind.INTEGER ? w.max(BigDecimal.ONE).setScale(0, RoundingMode.CEILING) : w;
  }

  /** The smallest of 1, 2, 5 × 10^k that is at least {@code raw} (1 for nothing). */
  static BigDecimal round(BigDecimal raw) {
    if (raw.signum() <= 0) {
      return BigDecimal.ONE;
    }
    int k = raw.precision() - raw.scale() - 1; // floor(log10(raw))
    BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(k);
    for (int m : new int[] {1, 2, 5, 10}) {
      BigDecimal w = unit.multiply(BigDecimal.valueOf(m));
      if (w.compareTo(raw) >= 0) {
        return w.stripTrailingZeros();
      }
    }
    throw new IllegalStateException("unreachable: 10^(k+1) > raw");
  }

  /** The lower bound of bucket {@code i} (i = count: the upper bound of the last). */
  BigDecimal bound(int i) {
    return start.add(width.multiply(BigDecimal.valueOf(i)));
  }

  /** The thresholds width_bucket takes: the lower bounds of buckets 1..count-1, as text. */
  List<String> thresholds() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      out.add(text(bound(i)));
    }
    return out;
  }

  /** A position as the column's type reads it: a number, a date or an ISO time. */
  String text(BigDecimal position) {
    return switch (kind) {
      case INTEGER, DECIMAL -> position.stripTrailingZeros().toPlainString();
      case DATE -> LocalDate.ofEpochDay(position.longValueExact()).toString();
      case TIME -> instant(position).toString();
      case LOCAL_TIME -> LocalDateTime.ofInstant(instant(position), ZoneOffset.UTC).toString();
    };
  }

  private static Instant instant(BigDecimal micros) {
    BigInteger[] s = micros.toBigIntegerExact().divideAndRemainder(BigInteger.valueOf(SECOND));
    long seconds = s[0].longValueExact();
    long rest = s[1].longValueExact();
    if (rest < 0) {
      seconds--;
      rest += SECOND;
    }
    return Instant.ofEpochSecond(seconds, rest * 1000);
  }
}
