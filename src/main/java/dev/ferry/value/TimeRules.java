package dev.ferry.value;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Texts and transform outputs into date, timestamp, timestamptz and time. Text follows {@link
 * Timestamps} (ISO 8601; no zone = UTC). One rule for offsets, whichever route a time takes (ISO
 * text, or a {@code {date:}} pattern with an offset): date and timestamp (without time zone) keep a
 * wall time, so a time with a non-zero UTC offset is refused there (it follows --on-bad-value, kept
 * verbatim in ferry.rejects): keeping its own wall time would shift the instant, converting to UTC
 * would change the wall time the text shows; timestamptz keeps both. A time with offset zero (Z,
 * +00:00, GMT) and an instant with no offset at all (epoch_seconds, epoch_ms) become their UTC wall
 * time.
 */
final class TimeRules {
  private static final Pattern TIME_TEXT = Pattern.compile("\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?");

  private TimeRules() {}

  static String date(Object v) throws ValueDoesNotFit {
    if (v instanceof LocalDate d) {
      TimeText.micros(d.atStartOfDay());
      return TimeText.date(d);
    }
    noShift(v, "date");
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
    noShift(v, "timestamp without time zone");
    return TimeText.timestamp(instantMicros(v, "a timestamp"));
  }

  /**
   * Refuses a text whose UTC offset is not zero: date and timestamp (without time zone) keep the
   * text's own date and wall time and drop the offset, so the instant would shift.
   */
  private static void noShift(Object v, String name) throws ValueDoesNotFit {
    if (v instanceof OffsetDateTime o && o.getOffset().getTotalSeconds() != 0) {
      throw new ValueDoesNotFit(
          "the date/time "
              + o
              + " has a UTC offset, which "
              + name
              + " would drop; use timestamptz");
    }
    if (v instanceof String || v instanceof byte[]) {
      byte[] b = SourceValues.text(v).getBytes(StandardCharsets.UTF_8);
      long micros = Timestamps.micros(b);
      if (micros != Timestamps.INVALID && b.length > 16) {
        long wall = Timestamps.micros(withoutZone(b));
        if (wall != micros) {
          throw new ValueDoesNotFit(
              SourceValues.shown(v)
                  + " has a UTC offset, which "
                  + name
                  + " would drop; use timestamptz");
        }
      }
    }
  }

  /** The text cut before its zone (Z or ±hh[:mm]), when it has one after the time. */
  private static byte[] withoutZone(byte[] b) {
    for (int i = 16; i < b.length; i++) {
      if (b[i] == 'Z' || b[i] == 'z' || b[i] == '+' || b[i] == '-') {
        return java.util.Arrays.copyOf(b, i);
      }
    }
    return b;
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
    if (v instanceof OffsetDateTime o) {
      return TimeText.micros(o.toInstant());
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
