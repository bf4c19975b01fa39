package dev.ferry.value;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code {date: pattern}} / {@code {date: [patterns]}}: texts read with java.time patterns, tried
 * in order, strictly (no Feb 30, the day name must match the date), English month and day names in
 * any letter case. A pattern with a zone or offset gives an instant; one without gives a wall time
 * (LocalDateTime, which timestamptz reads as UTC) or a date. {@code rfc1123} is {@link
 * DateTimeFormatter#RFC_1123_DATE_TIME} ("Tue, 3 Jun 2008 11:05:30 GMT", RSS feeds). A text that
 * matches no pattern passes on unchanged when it is already ISO 8601 (see {@link Timestamps}), and
 * is refused otherwise.
 */
final class DatePatterns implements Transform {
  private final List<String> patterns;
  private final List<DateTimeFormatter> formatters;

  private DatePatterns(List<String> patterns, List<DateTimeFormatter> formatters) {
    this.patterns = patterns;
    this.formatters = formatters;
  }

  static DatePatterns of(String where, List<String> patterns) {
    List<DateTimeFormatter> formatters = new ArrayList<>();
    for (String p : patterns) {
      try {
        formatters.add(formatter(p));
      } catch (IllegalArgumentException e) {
        throw new dev.ferry.FerryException(
            dev.ferry.ErrorCode.USAGE,
            "ferry.yaml: transform of "
                + where
                + ": date pattern \""
                + p
                + "\" is not a java.time pattern ("
                + e.getMessage()
                + "); valid: "
                + Transforms.VALID);
      }
    }
    return new DatePatterns(List.copyOf(patterns), List.copyOf(formatters));
  }

  static DateTimeFormatter formatter(String pattern) {
    if (pattern.equalsIgnoreCase("rfc1123") || pattern.equalsIgnoreCase("rfc822")) {
      // STRICT: the default (SMART) turns 31 Apr into 30 Apr, a silent change verification can't
      // see
      return DateTimeFormatter.RFC_1123_DATE_TIME.withResolverStyle(
          java.time.format.ResolverStyle.STRICT);
    }
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(yearOfEra(pattern))
        .toFormatter(Locale.ENGLISH)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  /** 'y' (year of era) resolves strictly only with an era; 'u' is the same year without one. */
  private static String yearOfEra(String pattern) {
    StringBuilder out = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      }
      out.append(!quoted && c == 'y' && pattern.indexOf('G') < 0 ? 'u' : c);
    }
    return out.toString();
  }

  @Override
  public Object apply(Object value) throws ValueDoesNotFit {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String || value instanceof byte[])) {
      throw new ValueDoesNotFit(SourceValues.kindOf(value) + " is not a date text");
    }
    String s = SourceValues.text(value).strip();
    for (DateTimeFormatter f : formatters) {
      Object parsed = parse(f, s);
      if (parsed != null) {
        return parsed;
      }
    }
    if (Timestamps.micros(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        != Timestamps.INVALID) {
      return value;
    }
    throw new ValueDoesNotFit(
        SourceValues.shown(value) + " matches none of the date patterns " + patterns);
  }

  private static Object parse(DateTimeFormatter f, String s) {
    try {
      TemporalAccessor t = f.parse(s);
      if (t.isSupported(ChronoField.OFFSET_SECONDS)
          || t.query(java.time.temporal.TemporalQueries.zone()) != null) {
        return Instant.from(t);
      }
      if (t.isSupported(ChronoField.HOUR_OF_DAY)) {
        return LocalDateTime.from(t);
      }
      return LocalDate.from(t);
    } catch (DateTimeException e) {
      return null;
    }
  }

  @Override
  public String describe() {
    return "date: text read with "
        + String.join(" or ", patterns.stream().map(p -> '"' + p + '"').toList())
        + " (patterns without a zone are read as UTC)";
  }
}
