package dev.ferry.value;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Texts and transform outputs into date, timestamp, timestamptz and time. Text follows {@link
 * Timestamps} (ISO 8601; no zone = UTC). One rule for offsets, whichever route a time takes (ISO
 * text, a {@code {date:}} pattern with an offset, an epoch transform): the instant is kept, and
 * date and timestamp (without time zone) hold its UTC date and wall time, as Ferry reads those
 * types everywhere (no zone = UTC): {@code 2024-01-02T03:04:05+02:00} becomes {@code 2024-01-02
 * 01:04:05}, never PostgreSQL's own cast, which would drop the offset and shift the instant. A date
 * is refused when the UTC time is not midnight.
 */
final class TimeRules {
  private static final Pattern TIME_TEXT = Pattern.compile("\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?");

  private TimeRules() {}

  static String date(Object v) throws ValueDoesNotFit {
    if (v instanceof LocalDate d) {
      TimeText.micros(d.atStartOfDay());
      return TimeText.date(d);
    }
    long micros = instantMicros(v, "a date");
    if (Math.floorMod(micros, Timestamps.MICROS_PER_DAY) != 0) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(v) + " has a time of day, which date would drop");
    }
    return TimeText.timestamp(micros).substring(0, 10);
  }

  static String timestamptz(Object v) throws ValueDoesNotFit {
    return TimeText.timestamp(instantMicros(v, "a timestamp")) + "+00";
  }

  static String timestamp(Object v) throws ValueDoesNotFit {
    return TimeText.timestamp(instantMicros(v, "a timestamp"));
  }

  static String time(Object v) throws ValueDoesNotFit {
    if (v instanceof String || v instanceof byte[]) {
      String s = SourceValues.text(v);
      if (TIME_TEXT.matcher(s).matches()) {
        try {
          LocalTime t = LocalTime.parse(s);
          StringBuilder out = new StringBuilder();
          TimeText.time(out, t.toNanoOfDay() / 1000);
          return out.toString();
        } catch (DateTimeParseException e) {
          // falls through to the refusal
        }
      }
    }
    throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not a time of day (HH:MM[:SS])");
  }

  /** Microseconds since 2000-01-01 UTC of a text, Instant, LocalDateTime or LocalDate. */
  private static long instantMicros(Object v, String what) throws ValueDoesNotFit {
    if (v instanceof Instant i) {
      return TimeText.micros(i);
    }
    if (v instanceof LocalDateTime t) {
      return TimeText.micros(t);
    }
    if (v instanceof LocalDate d) {
      return TimeText.micros(d.atStartOfDay());
    }
    if (v instanceof String || v instanceof byte[]) {
      long micros = Timestamps.micros(SourceValues.text(v).getBytes(StandardCharsets.UTF_8));
      if (micros != Timestamps.INVALID) {
        return TimeText.inRange(micros, SourceValues.shown(v));
      }
      throw new ValueDoesNotFit(
          SourceValues.shown(v)
              + " is not "
              + what
              + " (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|±HH:MM]); a transform {date: pattern} reads"
              + " other forms");
    }
    throw new ValueDoesNotFit(
        SourceValues.kindOf(v)
            + " is not "
            + what
            + "; numbers become times only through a transform (epoch_seconds, epoch_ms)");
  }
}
