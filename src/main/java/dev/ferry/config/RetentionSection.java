package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.maintain.RetentionRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ferry.yaml's {@code retention:} for {@code ferry maintain}: per table, one time column and how
 * old its rows may get. Only the shape and the age are checked here (with the line); whether the
 * table and column exist and have a time type is checked against the target's catalog at start,
 * before anything is deleted ({@code maintain.Maintenance}).
 *
 * <pre>
 * retention:
 *   translation_cache: {expires_at: now}     # rows whose expires_at has passed
 *   app.api_usage: {created_at: 90 days}     # rows older than 90 days (schema.table, else public)
 * </pre>
 */
final class RetentionSection {
  private static final String EXAMPLE =
      "retention: {translation_cache: {expires_at: now}, api_usage: {created_at: 90 days}}";

  private RetentionSection() {}

  static List<RetentionRule> read(Path file, JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of(); // retention: with nothing under it
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(
          file,
          line(p),
          "retention: must be a mapping of table: {column: age}, e.g. '" + EXAMPLE + "'");
    }
    List<RetentionRule> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName().trim();
      int at = line(p);
      p.nextToken();
      out.add(rule(file, p, at, name));
    }
    return List.copyOf(out);
  }

  private static RetentionRule rule(Path file, JsonParser p, int at, String name)
      throws IOException {
    String shape =
        "retention."
            + name
            + " must be one column: age, e.g. '"
            + name
            + ": {created_at: 90 days}'";
    if (p.currentToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
      throw error(file, at, shape);
    }
    String column = p.currentName().trim();
    p.nextToken();
    String text = p.currentToken().isScalarValue() ? p.getText() : null;
    if (p.nextToken() != JsonToken.END_OBJECT) {
      throw error(
          file,
          at,
          shape + " (one time column per table: a row is deleted when that column is old enough)");
    }
    String age = RetentionRule.normalizeAge(text);
    if (age == null) {
      throw error(
          file,
          at,
          "retention."
              + name
              + "."
              + column
              + " is '"
              + (text == null ? "" : text)
              + "'; write "
              + RetentionRule.AGE_HELP);
    }
    int dot = name.indexOf('.');
    if (dot == 0 || dot == name.length() - 1 || name.isEmpty() || column.isEmpty()) {
      throw error(file, at, "retention: '" + name + "' must name a table or schema.table");
    }
    String schema = dot < 0 ? null : name.substring(0, dot);
    String table = dot < 0 ? name : name.substring(dot + 1);
    return new RetentionRule(schema, table, column, age, at);
  }

  private static int line(JsonParser p) {
    return p.currentLocation().getLineNr();
  }

  private static FerryException error(Path file, int line, String what) {
    return new FerryException(ErrorCode.USAGE, file + ":" + line + ": " + what);
  }
}
