package dev.ferry.map;

import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceTable;
import dev.ferry.value.Timestamps;
import dev.ferry.value.Transform;
import dev.ferry.value.Transforms;
import dev.ferry.value.ValueDoesNotFit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first rows of a source table, read to say what each column stores ("TEXT (RFC 1123 dates)")
 * and which transform its values need on the way into a target type: dates in a format that is not
 * ISO 8601 (a {@code date:} pattern that reads every one), numbers that look like epoch seconds or
 * milliseconds, {@code ''} where a number is expected ({@code empty_as_null}). Plan and the mapping
 * skeleton use it; it reads at most {@link #ROWS} rows.
 */
final class ValueSample {
  static final int ROWS = 1000;

  /** Date formats tried, in order, on texts that are not ISO 8601 (java.time patterns). */
  static final List<String> DATE_PATTERNS =
      List.of(
          "rfc1123",
          "EEE MMM dd HH:mm:ss Z yyyy", // Twitter's created_at
          "yyyy/MM/dd HH:mm:ss",
          "yyyy/MM/dd",
          "dd.MM.yyyy HH:mm:ss",
          "dd.MM.yyyy",
          "MM/dd/yyyy HH:mm:ss",
          "MM/dd/yyyy",
          "dd/MM/yyyy");

  private static final List<Transform> DATE_READERS =
      DATE_PATTERNS.stream()
          .map(p -> Transforms.parse("sample", "value", Map.of("date", p)))
          .toList();

  private static final long EPOCH_SECONDS_FROM = 100_000_000L; // 1973
  private static final long EPOCH_SECONDS_TO = 10_000_000_000L; // 2286
  private static final long EPOCH_MS_FROM = EPOCH_SECONDS_FROM * 1000;
  private static final long EPOCH_MS_TO = EPOCH_SECONDS_TO * 1000;

  /** What one column holds in the sampled rows. */
  static final class Column {
    final String name;
    long rows;
    long nulls;
    long integers;
    long reals;
    long texts;
    long blobs;
    long empties;
    long isoDates;
    long epochSeconds;
    long epochMillis;
    final Map<String, Long> patternHits = new LinkedHashMap<>();
    long otherTexts; // non-empty, not ISO

    Column(String name) {
      this.name = name;
    }

    private void add(RowCursor row, int i) {
      rows++;
      switch (row.type(i)) {
        case RowCursor.NULL -> nulls++;
        case RowCursor.INTEGER -> {
          integers++;
          epoch(row.longValue(i));
        }
        case RowCursor.REAL -> {
          reals++;
          double d = row.doubleValue(i);
          if (Double.isFinite(d)) {
            epoch((long) Math.floor(d));
          }
        }
        case RowCursor.TEXT -> text(new String(row.bytes(i), StandardCharsets.UTF_8));
        default -> blobs++;
      }
    }

    private void epoch(long n) {
      if (n >= EPOCH_SECONDS_FROM && n < EPOCH_SECONDS_TO) {
        epochSeconds++;
      } else if (n >= EPOCH_MS_FROM && n < EPOCH_MS_TO) {
        epochMillis++;
      }
    }

    private void text(String s) {
      texts++;
      if (s.isBlank()) {
        empties++;
        return;
      }
      String v = s.strip();
      if (Timestamps.micros(v.getBytes(StandardCharsets.UTF_8)) != Timestamps.INVALID) {
        isoDates++;
        return;
      }
      otherTexts++;
      for (int k = 0; k < DATE_PATTERNS.size(); k++) {
        if (readsAsDate(DATE_READERS.get(k), v)) {
          patternHits.merge(DATE_PATTERNS.get(k), 1L, Long::sum);
        }
      }
    }

    /** The date pattern that reads every non-ISO, non-empty text sampled, or null. */
    String datePattern() {
      if (otherTexts == 0) {
        return null;
      }
      for (Map.Entry<String, Long> e : patternHits.entrySet()) {
        if (e.getValue() == otherTexts) {
          return e.getKey();
        }
      }
      return null;
    }

    /** epoch_seconds or epoch_ms when every number sampled looks like one, else null. */
    String epochUnit() {
      long numbers = integers + reals;
      if (numbers == 0 || texts - empties > 0) {
        return null;
      }
      if (epochSeconds == numbers) {
        return "epoch_seconds";
      }
      return epochMillis == numbers ? "epoch_ms" : null;
    }

    /** What is stored, as plan prints it: {@code TEXT (RFC 1123 dates, 3 '')}. */
    String stored() {
      if (rows == 0) {
        return "no rows";
      }
      List<String> classes = new ArrayList<>();
      add(classes, integers, "INTEGER");
      add(classes, reals, "REAL");
      add(classes, texts, "TEXT");
      add(classes, blobs, "BLOB");
      if (classes.isEmpty()) {
        return "NULL";
      }
      List<String> what = new ArrayList<>();
      String pattern = datePattern();
      if (pattern != null) {
        what.add(pattern.equals("rfc1123") ? "RFC 1123 dates" : "dates \"" + pattern + "\"");
      } else if (isoDates > 0 && otherTexts == 0) {
        what.add("ISO dates");
      }
      String epoch = epochUnit();
      if (epoch != null) {
        what.add(epoch.equals("epoch_ms") ? "epoch milliseconds" : "epoch seconds");
      }
      if (empties > 0) {
        what.add(String.format(Locale.ROOT, "%,d ''", empties));
      }
      return String.join("/", classes)
          + (what.isEmpty() ? "" : " (" + String.join(", ", what) + ")");
    }

    private static void add(List<String> out, long n, String name) {
      if (n > 0) {
        out.add(name);
      }
    }
  }

  private final long rows;
  private final Map<String, Column> columns;

  private ValueSample(long rows, Map<String, Column> columns) {
    this.rows = rows;
    this.columns = columns;
  }

  /** Reads the first {@link #ROWS} rows of {@code table}. */
  static ValueSample of(Source source, SourceTable table) {
    List<SourceColumn> read = table.columns();
    Map<String, Column> columns = new LinkedHashMap<>();
    read.forEach(c -> columns.put(c.name().toLowerCase(Locale.ROOT), new Column(c.name())));
    List<Column> ordered = List.copyOf(columns.values());
    long n = 0;
    try (RowCursor cursor = source.openRows(table, read)) {
      while (n < ROWS && cursor.next()) {
        n++;
        for (int i = 0; i < ordered.size(); i++) {
          ordered.get(i).add(cursor, i);
        }
      }
    }
    return new ValueSample(n, columns);
  }

  long rows() {
    return rows;
  }

  /** The column's sample (a column of no rows when the table has no such column). */
  Column column(String name) {
    Column c = columns.get(name.toLowerCase(Locale.ROOT));
    return c != null ? c : new Column(name);
  }

  /** How many sampled rows of {@code t} would not convert, and why the first did not. */
  record Trial(long rows, long failed, String firstFailure) {}

  static Trial trial(Source source, MappedTable t) {
    RowConverter converter = new RowConverter(t);
    long n = 0;
    long failed = 0;
    String first = null;
    try (RowCursor cursor = source.openRows(t.source(), t.read())) {
      while (n < ROWS && cursor.next()) {
        n++;
        if (!converter.convert(cursor)) {
          failed++;
          if (first == null) {
            first = "row " + converter.key(cursor) + ", " + converter.reason();
          }
        }
      }
    }
    return new Trial(n, failed, first);
  }

  private static boolean readsAsDate(Transform reader, String text) {
    try {
      return !(reader.apply(text) instanceof String);
    } catch (ValueDoesNotFit e) {
      return false;
    }
  }
}
