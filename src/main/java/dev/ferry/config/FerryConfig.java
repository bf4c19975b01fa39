package dev.ferry.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.maintain.RetentionRule;
import dev.ferry.map.TableMapping;
import dev.ferry.plan.Cast;
import dev.ferry.plan.ExtraIndex;
import dev.ferry.plan.PgType;
import dev.ferry.plan.PlanOptions;
import dev.ferry.source.files.FileRules;
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
public record FerryConfig(
    Path file,
    List<Cast> casts,
    Map<String, String> priorities,
    Map<String, String> schemas,
    List<String> keep,
    FileRules files,
    List<ExtraIndex> indexes,
    String fulltextLanguage,
    List<TableMapping> map,
    List<RetentionRule> retention,
    List<SavedQuery> queries) {
  /** Priority levels, most urgent first; what nothing names is P1. */
  public static final List<String> LEVELS = List.of("P0", "P1", "P2");

  /** What a table nothing names gets. */
  public static final String DEFAULT_PRIORITY = PlanOptions.DEFAULT_PRIORITY;

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
    return new FerryConfig(
        null,
        List.of(),
        Map.of(),
        Map.of(),
        List.of(),
        FileRules.DEFAULT,
        List.of(),
        "simple",
        List.of(),
        List.of(),
        List.of());
  }

  /** The tables of {@code source} that stay in SQLite (keep: lists table or source.table). */
  public List<String> kept(String source) {
    String s = source.toLowerCase(Locale.ROOT) + ".";
    List<String> out = new ArrayList<>();
    for (String k : keep) {
      out.add(k.startsWith(s) ? k.substring(s.length()) : k);
    }
    return out;
  }

  /** The priority of a source (its file name without extension), or of one of its tables. */
  public String priority(String source, String table) {
    String s = source.toLowerCase(Locale.ROOT);
    if (table != null) {
      String t = priorities.get(s + "." + table.toLowerCase(Locale.ROOT));
      if (t != null) {
        return t;
      }
    }
    return priorities.getOrDefault(s, DEFAULT_PRIORITY);
  }

  /**
   * {@code fulltext_language: english}: the text-search configuration of full-text indexes (those
   * of SQLite's FTS tables and {@code indexes: fulltext}); a plain name, checked by PostgreSQL when
   * the index is built (an unknown one becomes a note naming the index, as any refused index does).
   */
  private static String readLanguage(Path file, JsonParser p) throws IOException {
    String v = p.getValueAsString();
    if (v == null || !v.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw error(
          file,
          p,
          "fulltext_language must be a text-search configuration name such as simple, english or"
              + " german (SELECT cfgname FROM pg_ts_config lists them)");
    }
    return v;
  }

  /** Reads and checks {@code file}. */
  public static FerryConfig load(Path file) {
    if (!Files.isReadable(file)) {
      throw new FerryException(
          ErrorCode.USAGE, file + ": no such config file (--config FILE names a ferry.yaml)");
    }
    List<Cast> casts = new ArrayList<>();
    Map<String, String> priorities = new java.util.LinkedHashMap<>();
    Map<String, String> schemas = new java.util.LinkedHashMap<>();
    List<String> keep = new ArrayList<>();
    FileRules files = FileRules.DEFAULT;
    List<ExtraIndex> indexes = new ArrayList<>();
    String fulltextLanguage = "simple";
    List<TableMapping> map = List.of();
    List<RetentionRule> retention = List.of();
    List<SavedQuery> queries = List.of();
    try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new FerryConfig(
            file,
            List.of(),
            Map.of(),
            Map.of(),
            List.of(),
            FileRules.DEFAULT,
            List.of(),
            "simple",
            List.of(),
            List.of(),
            List.of());
      }
      if (t != JsonToken.START_OBJECT) {
        throw error(file, p, "the top level must be a mapping (casts: …)");
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int line = line(p);
        p.nextToken();
        switch (key) {
          case "keep" -> readKeep(file, p, keep);
          case "files" -> files = readFiles(file, p);
          case "indexes" -> readIndexes(file, p, indexes);
          case "priorities" -> readMap(file, p, key, priorities);
          case "schemas" -> readMap(file, p, key, schemas);
          case "casts" -> readCasts(file, p, casts);
          case "fulltext_language" -> fulltextLanguage = readLanguage(file, p);
          case "map" -> map = MapSection.read(file, p);
          case "retention" -> retention = RetentionSection.read(file, p);
          case "queries" -> queries = QuerySection.read(file, p);
          default ->
              throw new FerryException(
                  ErrorCode.USAGE,
                  file
                      + ":"
                      + line
                      + ": unknown key '"
                      + key
                      + "'; ferry.yaml knows: casts, priorities, schemas, keep, files, indexes,"
                      + " fulltext_language, map, queries, retention");
        }
      }
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    return new FerryConfig(
        file,
        List.copyOf(casts),
        Map.copyOf(priorities),
        Map.copyOf(schemas),
        List.copyOf(keep),
        files,
        List.copyOf(indexes),
        fulltextLanguage,
        List.copyOf(map),
        retention,
        List.copyOf(queries));
  }

  /** keep: [table, …]: tables that stay in SQLite. */
  private static void readKeep(Path file, JsonParser p, List<String> keep) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return; // keep: with nothing under it
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw error(
          file,
          p,
          "keep: must be a list of tables that stay in SQLite, e.g. 'keep: [settings, auth_tokens]'");
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      keep.add(p.getText().trim().toLowerCase(Locale.ROOT));
    }
  }

  /** casts: {table.column: type, …}. */
  private static void readCasts(Path file, JsonParser p, List<Cast> casts) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(
          file, p, "casts: must be a mapping of table.column: type, e.g. 'jobs.priority: bigint'");
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

  private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  /** priorities: {source or source.table: P0|P1|P2}, schemas: {source: schema}. */
  private static void readMap(Path file, JsonParser p, String key, Map<String, String> into)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(
          file,
          p,
          key
              + ": must be a mapping, e.g. '"
              + key
              + ": {memory: "
              + (key.equals("priorities") ? "P0" : "mem")
              + "}'");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName().toLowerCase(Locale.ROOT);
      int at = line(p);
      p.nextToken();
      String value = p.currentToken().isScalarValue() ? p.getText().trim() : "";
      if (key.equals("priorities") && !LEVELS.contains(value.toUpperCase(Locale.ROOT))) {
        throw new FerryException(
            ErrorCode.USAGE,
            file + ":" + at + ": priority of '" + name + "' is '" + value + "'; use P0, P1 or P2");
      }
      if (key.equals("schemas") && !SCHEMA.matcher(value).matches()) {
        throw new FerryException(
            ErrorCode.USAGE,
            file
                + ":"
                + at
                + ": schema for '"
                + name
                + "' is '"
                + value
                + "'; use a plain name: letters, digits and _, at most 63");
      }
      into.put(name, key.equals("priorities") ? value.toUpperCase(Locale.ROOT) : value);
    }
  }

  /** files: {doc: bool, unnest: [table.field], keyed: {table: key column}, records: [table]}. */
  private static FileRules readFiles(Path file, JsonParser p) throws IOException {
    String example =
        "files: {doc: true, unnest: [tweet_cache.media], keyed: {tweet_cache: tweet_id}}";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(file, p, "files: must be a mapping, e.g. '" + example + "'");
    }
    boolean doc = true;
    java.util.Set<String> unnest = new java.util.LinkedHashSet<>();
    Map<String, String> keyed = new java.util.LinkedHashMap<>();
    java.util.Set<String> records = new java.util.LinkedHashSet<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      switch (key) {
        case "doc" -> {
          if (!p.currentToken().isBoolean()) {
            throw error(file, p, "files.doc must be true or false");
          }
          doc = p.getBooleanValue();
        }
        case "unnest", "records" -> {
          if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(file, p, "files." + key + " must be a list, e.g. '" + example + "'");
          }
          while (p.nextToken() != JsonToken.END_ARRAY) {
            String v = p.getText().trim().toLowerCase(Locale.ROOT);
            if (key.equals("unnest") && v.indexOf('.') <= 0) {
              throw error(
                  file, p, "files.unnest entries name table.field, e.g. 'tweet_cache.media'");
            }
            (key.equals("unnest") ? unnest : records).add(v);
          }
        }
        case "keyed" -> {
          if (p.currentToken() != JsonToken.START_OBJECT) {
            throw error(
                file, p, "files.keyed must map table: key column, e.g. '{tweet_cache: tweet_id}'");
          }
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String t = p.currentName().toLowerCase(Locale.ROOT);
            p.nextToken();
            keyed.put(t, p.getText().trim());
          }
        }
        default ->
            throw error(
                file, p, "unknown key files." + key + "; files: knows doc, unnest, keyed, records");
      }
    }
    return new FileRules(
        doc, false, java.util.Set.copyOf(unnest), Map.copyOf(keyed), java.util.Set.copyOf(records));
  }

  /** indexes: {table: [{gin: doc}, {trigram: expr}, {fulltext: expr}, {btree: expr}]}. */
  private static void readIndexes(Path file, JsonParser p, List<ExtraIndex> into)
      throws IOException {
    String example = "indexes: {tweet_cache: [{gin: doc}, {trigram: \"content_data->>'text'\"}]}";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(file, p, "indexes: must be a mapping of table: list, e.g. '" + example + "'");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String table = p.currentName();
      p.nextToken();
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw error(file, p, "indexes." + table + " must be a list, e.g. '" + example + "'");
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        int at = line(p);
        if (p.currentToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
          throw error(file, p, "each index is kind: expression, e.g. '- gin: doc'");
        }
        String kind = p.currentName().toLowerCase(Locale.ROOT);
        p.nextToken();
        String expr = p.currentToken().isScalarValue() ? p.getText().trim() : "";
        if (!ExtraIndex.KINDS.contains(kind) || expr.isEmpty()) {
          throw new FerryException(
              ErrorCode.USAGE,
              file
                  + ":"
                  + at
                  + ": index '"
                  + kind
                  + ": "
                  + expr
                  + "' on "
                  + table
                  + ": use gin, trigram, fulltext or btree with a column or expression");
        }
        if (p.nextToken() != JsonToken.END_OBJECT) {
          throw error(file, p, "each index is one kind: expression pair, e.g. '- gin: doc'");
        }
        into.add(new ExtraIndex(table, kind, expr, at));
      }
    }
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
