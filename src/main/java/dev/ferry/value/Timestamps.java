package dev.ferry.value;

/**
 * The date and time texts Ferry converts, and how. Accepted: {@code YYYY-MM-DD} (a date) and {@code
 * YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:MM]|±HHMM]} (an instant; without a zone it is UTC,
 * which is what SQLite's own date functions write). Fractions beyond microseconds are accepted only
 * when the extra digits are zeros, so conversion never rounds. Years 1 to 9999.
 *
 * <p>Results are in PostgreSQL's binary units: microseconds or days since 2000-01-01 (UTC).
 */
public final class Timestamps {
  /** Returned when a text is not a timestamp. */
  public static final long INVALID = Long.MIN_VALUE;

  static final long PG_EPOCH_DAY = 10_957; // 2000-01-01 as days since 1970-01-01
  static final long MICROS_PER_DAY = 86_400_000_000L;
  static final long PG_EPOCH_SECONDS = PG_EPOCH_DAY * 86_400;

  /** Microseconds from 1970-01-01 to 2000-01-01. */
  public static final long MICROS_SINCE_UNIX_AT_PG_EPOCH = PG_EPOCH_SECONDS * 1_000_000L;

  /** Epoch integers below this magnitude are seconds, at or above it milliseconds. */
  public static final long MILLIS_THRESHOLD = 100_000_000_000L; // year 5138 in seconds

  private Timestamps() {}

  /** True when {@code b} is exactly a date (YYYY-MM-DD). */
  public static boolean isDate(byte[] b) {
    return b.length == 10 && dateDays(b) != INVALID;
  }

  /** Days since 2000-01-01 of a YYYY-MM-DD text, or {@link #INVALID}. */
  public static long dateDays(byte[] b) {
    if (b.length < 10 || b[4] != '-' || b[7] != '-') {
      return INVALID;
    }
    int y = digits(b, 0, 4);
    int m = digits(b, 5, 2);
    int d = digits(b, 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > monthLength(y, m)) {
      return INVALID;
    }
    return epochDay(y, m, d) - PG_EPOCH_DAY;
  }

  /** Microseconds since 2000-01-01 UTC of a date or timestamp text, or {@link #INVALID}. */
  public static long micros(byte[] b) {
    long days = dateDays(b);
    if (days == INVALID) {
      return INVALID;
    }
    int n = b.length;
    if (n == 10) {
      return days * MICROS_PER_DAY;
    }
    if (n < 16 || (b[10] != 'T' && b[10] != ' ' && b[10] != 't') || b[13] != ':') {
      return INVALID;
    }
    int hh = digits(b, 11, 2);
    int mi = digits(b, 14, 2);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59) {
      return INVALID;
    }
    int i = 16;
    int ss = 0;
    long fraction = 0;
    if (i < n && b[i] == ':') {
      ss = digits(b, i + 1, 2);
      if (ss < 0 || ss > 59) {
        return INVALID;
      }
      i += 3;
      if (i < n && b[i] == '.') {
        i++;
        int start = i;
        while (i < n && b[i] >= '0' && b[i] <= '9') {
          int digit = b[i] - '0';
          int place = i - start;
          if (place < 6) {
            fraction = fraction * 10 + digit;
          } else if (digit != 0) {
            return INVALID; // below a microsecond: PostgreSQL would round
          }
          i++;
        }
        if (i == start) {
          return INVALID;
        }
        for (int place = i - start; place < 6; place++) {
          fraction *= 10;
        }
      }
    }
    long offsetSeconds = 0;
    if (i < n) {
      byte z = b[i];
      if ((z == 'Z' || z == 'z') && i + 1 == n) {
        i++;
      } else if (z == '+' || z == '-') {
        int oh = digits(b, i + 1, 2);
        int om = 0;
        int end = i + 3;
        if (end < n && b[end] == ':') {
          om = digits(b, end + 1, 2);
          end += 3;
        } else if (end + 2 == n) {
          om = digits(b, end, 2);
          end += 2;
        }
        if (oh < 0 || oh > 15 || om < 0 || om > 59 || end != n) {
          return INVALID;
        }
        offsetSeconds = (oh * 3600L + om * 60L) * (z == '-' ? -1 : 1);
        i = n;
      } else {
        return INVALID;
      }
    }
    if (i != n) {
      return INVALID;
    }
    long seconds = hh * 3600L + mi * 60L + ss - offsetSeconds;
    return days * MICROS_PER_DAY + seconds * 1_000_000L + fraction;
  }

  /** Microseconds since 2000-01-01 UTC of unix epoch seconds. */
  public static long fromEpochSeconds(long seconds) {
    return Math.multiplyExact(Math.subtractExact(seconds, PG_EPOCH_SECONDS), 1_000_000L);
  }

  /** Microseconds since 2000-01-01 UTC of unix epoch milliseconds. */
  public static long fromEpochMillis(long millis) {
    return Math.multiplyExact(Math.subtractExact(millis, PG_EPOCH_SECONDS * 1000), 1000L);
  }

  private static int digits(byte[] b, int from, int count) {
    if (from + count > b.length) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int monthLength(int y, int m) {
    return switch (m) {
      case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /**
   * Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil); equal
   * to java.time's LocalDate.toEpochDay, without allocating (property-tested against it).
   */
  static long epochDay(int y, int m, int d) {
    long year = m <= 2 ? y - 1 : y;
    long era = Math.floorDiv(year, 400);
    long yoe = year - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
