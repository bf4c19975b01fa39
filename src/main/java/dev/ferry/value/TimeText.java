package dev.ferry.value;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Dates and times as PostgreSQL prints them with DateStyle ISO (and, for timestamptz, TimeZone
 * UTC): {@code 2024-05-08 21:32:23.347495}, fractions without trailing zeros. Times are carried as
 * microseconds since 2000-01-01 (PostgreSQL's own unit), years 1 to 9999.
 */
final class TimeText {
  private static final long MIN_MICROS = -63_082_281_600_000_000L; // 0001-01-01 00:00 UTC
  private static final long MAX_MICROS = 252_455_615_999_999_999L; // 9999-12-31 23:59:59.999999

  private TimeText() {}

  /** Microseconds since 2000-01-01 UTC of an instant; refuses sub-microsecond parts. */
  static long micros(Instant i) throws ValueDoesNotFit {
    if (i.getNano() % 1000 != 0) {
      throw new ValueDoesNotFit(
          i + " has a part finer than a microsecond, which PostgreSQL rounds");
    }
    long micros;
    try {
      micros =
          Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000)
              - Timestamps.MICROS_SINCE_UNIX_AT_PG_EPOCH;
    } catch (ArithmeticException e) {
      throw new ValueDoesNotFit(i + " is outside the years 1 to 9999");
    }
    return inRange(micros, i.toString());
  }

  static long micros(LocalDateTime t) throws ValueDoesNotFit {
    return micros(t.toInstant(ZoneOffset.UTC));
  }

  static long inRange(long micros, String shown) throws ValueDoesNotFit {
    if (micros < MIN_MICROS || micros > MAX_MICROS) {
      throw new ValueDoesNotFit(shown + " is outside the years 1 to 9999");
    }
    return micros;
  }

  /** {@code YYYY-MM-DD HH:MM:SS[.ffffff]} of microseconds since 2000-01-01. */
  static String timestamp(long micros) {
    long days = Math.floorDiv(micros, Timestamps.MICROS_PER_DAY);
    long inDay = Math.floorMod(micros, Timestamps.MICROS_PER_DAY);
    StringBuilder out = new StringBuilder(26);
    out.append(date(LocalDate.ofEpochDay(days + Timestamps.PG_EPOCH_DAY))).append(' ');
    time(out, inDay);
    return out.toString();
  }

  /** {@code HH:MM:SS[.ffffff]} of microseconds since midnight. */
  static void time(StringBuilder out, long inDay) {
    long seconds = inDay / 1_000_000;
    long fraction = inDay % 1_000_000;
    two(out, seconds / 3600).append(':');
    two(out, seconds / 60 % 60).append(':');
    two(out, seconds % 60);
    if (fraction != 0) {
      String f = String.format("%06d", fraction);
      int end = f.length();
      while (f.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(f, 0, end);
    }
  }

  /** {@code YYYY-MM-DD}. */
  static String date(LocalDate d) {
    return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
  }

  private static StringBuilder two(StringBuilder out, long v) {
    if (v < 10) {
      out.append('0');
    }
    return out.append(v);
  }
}
