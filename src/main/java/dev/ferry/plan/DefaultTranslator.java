package dev.ferry.plan;

import dev.ferry.sql.SqlText;
import dev.ferry.sql.SqlTokenizer;
import dev.ferry.sql.Token;
import dev.ferry.value.Booleans;
import dev.ferry.value.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Translates a column DEFAULT so that it produces, in the column's new type, the value SQLite would
 * have stored: CURRENT_TIMESTAMP in a column that stays text produces SQLite's 'YYYY-MM-DD
 * HH:MM:SS' UTC text; 0/1 in a boolean column become false/true; a date literal in a timestamptz
 * column is read as UTC like the stored values.
 */
final class DefaultTranslator {
  private static final DateTimeFormatter ISO_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private DefaultTranslator() {}

  static Translation translate(
      String sqliteDefault,
      TypeChoice choice,
      Function<String, ExpressionTranslator.ColumnRef> cols) {
    String d = stripParens(sqliteDefault.trim());
    PgType type = choice.type();
    List<Token> tokens = SqlTokenizer.tokenize(d);
    Token only = tokens.size() == 1 ? tokens.get(0) : null;
    if (only != null && only.is("NULL")) {
      return Translation.ok("NULL");
    }
    boolean nowish = isNow(d);
    if (type.isText() && nowish) {
      String upper = d.toUpperCase(Locale.ROOT);
      String format =
          upper.contains("DATE") && !upper.contains("TIME")
              ? "YYYY-MM-DD"
              : upper.equals("CURRENT_TIME") || upper.startsWith("TIME(")
                  ? "HH24:MI:SS"
                  : "YYYY-MM-DD HH24:MI:SS";
      return Translation.ok("to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', '" + format + "')");
    }
    switch (type.kind()) {
      case BOOLEAN -> {
        if (only != null
            && (only.kind() == Token.Kind.NUMBER
                || only.kind() == Token.Kind.STRING
                || only.is("TRUE")
                || only.is("FALSE"))) {
          int b = Booleans.parse(only.text().getBytes(StandardCharsets.UTF_8));
          if (b != Booleans.INVALID) {
            return Translation.ok(b == 1 ? "true" : "false");
          }
        }
      }
      case TIMESTAMPTZ -> {
        if (only != null && only.kind() == Token.Kind.STRING) {
          long micros = Timestamps.micros(only.text().getBytes(StandardCharsets.UTF_8));
          if (micros != Timestamps.INVALID) {
            return Translation.ok(SqlText.literal(formatMicros(micros)) + "::timestamptz");
          }
        }
        if (only != null && only.kind() == Token.Kind.NUMBER && choice.epoch() != EpochUnit.NONE) {
          long v = Long.parseLong(only.text());
          long micros =
              choice.epoch() == EpochUnit.SECONDS
                  ? Timestamps.fromEpochSeconds(v)
                  : Timestamps.fromEpochMillis(v);
          return Translation.ok(SqlText.literal(formatMicros(micros)) + "::timestamptz");
        }
      }
      case DATE -> {
        if (only != null
            && only.kind() == Token.Kind.STRING
            && Timestamps.isDate(only.text().getBytes(StandardCharsets.UTF_8))) {
          return Translation.ok(
              SqlText.literal(LocalDate.parse(only.text()).toString()) + "::date");
        }
      }
      case JSONB -> {
        if (only != null && only.kind() == Token.Kind.STRING) {
          return Translation.ok(SqlText.literal(only.text()) + "::jsonb");
        }
      }
      default -> {
        // general expression below
      }
    }
    if (type.kind() == PgType.Kind.BYTEA && only != null && only.kind() == Token.Kind.STRING) {
      return Translation.ok("convert_to(" + SqlText.literal(only.text()) + ", 'UTF8')");
    }
    if (type.isText() && only != null && only.kind() == Token.Kind.NUMBER) {
      return Translation.ok(SqlText.literal(only.text())); // SQLite stores the number as text
    }
    return ExpressionTranslator.expression(d, cols);
  }

  private static boolean isNow(String d) {
    String u = d.toUpperCase(Locale.ROOT).replace(" ", "");
    return u.equals("CURRENT_TIMESTAMP")
        || u.equals("CURRENT_DATE")
        || u.equals("CURRENT_TIME")
        || u.equals("DATETIME('NOW')")
        || u.equals("DATE('NOW')")
        || u.equals("TIME('NOW')");
  }

  static String formatMicros(long micros) {
    long epochMicros = micros + Timestamps.MICROS_SINCE_UNIX_AT_PG_EPOCH;
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000);
    return ISO_UTC.format(instant);
  }

  private static String stripParens(String d) {
    while (d.startsWith("(") && d.endsWith(")") && balancedInside(d)) {
      d = d.substring(1, d.length() - 1).trim();
    }
    return d;
  }

  private static boolean balancedInside(String d) {
    int depth = 0;
    for (int i = 0; i < d.length() - 1; i++) {
      char c = d.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (depth == 0) {
        return false;
      }
    }
    return true;
  }
}
