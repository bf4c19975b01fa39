package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.PgType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ferry.yaml, read and checked once at start: the package's entry point. Today it holds column
 * casts:
 *
 * <pre>
 * casts:
 *   jobs.priority: bigint        # rows whose value is not an integer follow --on-bad-value
 *   events.at: timestamptz
 * </pre>
 *
 * Every error names the file and line and says how to fix it; whether tables and columns exist is
 * checked against the source by the planner, with the same line.
 */
public record FerryConfig(Path file, List<Cast> casts) {
  private static final Pattern VARCHAR = Pattern.compile("varchar\\((\\d+)\\)");
  private static final Map<String, PgType> TYPES =
      Map.ofEntries(
          Map.entry("boolean", PgType.BOOLEAN),
          Map.entry("smallint", PgType.SMALLINT),
          Map.entry("integer", PgType.INTEGER),
          Map.entry("bigint", PgType.BIGINT),
          Map.entry("double precision", PgType.DOUBLE),
          Map.entry("numeric", PgType.NUMERIC),
          Map.entry("text", PgType.TEXT),
          Map.entry("jsonb", PgType.JSONB),
          Map.entry("timestamptz", PgType.TIMESTAMPTZ),
          Map.entry("date", PgType.DATE),
          Map.entry("bytea", PgType.BYTEA));
  private static final String TYPE_LIST =
      "boolean, smallint, integer, bigint, double precision, numeric, text, varchar(n), jsonb, timestamptz, date, bytea";

  /** No config: every choice is Ferry's. */
  public static FerryConfig none() {
    return new FerryConfig(null, List.of());
  }

  /** Reads and checks {@code file}. */
  public static FerryConfig load(Path file) {
    if (!Files.isReadable(file)) {
      throw new FerryException(
          ErrorCode.USAGE, file + ": no such config file (--config FILE names a ferry.yaml)");
    }
    List<Cast> casts = new ArrayList<>();
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new FerryConfig(file, List.of());
      }
      if (t != JsonToken.START_OBJECT) {
        throw error(file, p, "the top level must be a mapping (casts: …)");
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int line = line(p);
        p.nextToken();
        if (!key.equals("casts")) {
          throw new FerryException(
              ErrorCode.USAGE,
              file + ":" + line + ": unknown key '" + key + "'; ferry.yaml knows: casts");
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
          throw error(
              file,
              p,
              "casts: must be a mapping of table.column: type, e.g. 'jobs.priority: bigint'");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String target = p.currentName();
          int at = line(p);
          p.nextToken();
          if (!p.currentToken().isScalarValue()) {
            throw new FerryException(
                ErrorCode.USAGE,
                file
                    + ":"
                    + at
                    + ": cast of '"
                    + target
                    + "' must be a type name, e.g. '"
                    + target
                    + ": bigint'");
          }
          casts.add(cast(file, at, target, p.getText()));
        }
      }
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    return new FerryConfig(file, List.copyOf(casts));
  }

  private static Cast cast(Path file, int line, String target, String typeName) {
    int dot = target.lastIndexOf('.');
    if (dot <= 0 || dot == target.length() - 1) {
      throw new FerryException(
          ErrorCode.USAGE,
          file
              + ":"
              + line
              + ": '"
              + target
              + "' must name table.column (quote it when names contain dots or spaces)");
    }
    String t = typeName.trim().toLowerCase(Locale.ROOT);
    PgType type = TYPES.get(t);
    Matcher m = VARCHAR.matcher(t);
    if (type == null && m.matches()) {
      type = PgType.varchar(Integer.parseInt(m.group(1)));
    }
    if (type == null) {
      throw new FerryException(
          ErrorCode.USAGE,
          file
              + ":"
              + line
              + ": unknown type '"
              + typeName
              + "' for "
              + target
              + "; use one of: "
              + TYPE_LIST);
    }
    return new Cast(target.substring(0, dot), target.substring(dot + 1), type, line);
  }

  private static int line(JsonParser p) {
    return p.currentLocation().getLineNr();
  }

  private static FerryException error(Path file, JsonParser p, String what) {
    return new FerryException(ErrorCode.USAGE, file + ":" + line(p) + ": " + what);
  }
}
