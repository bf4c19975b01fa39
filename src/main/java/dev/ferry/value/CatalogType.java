package dev.ferry.value;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target column's declared type as PostgreSQL's catalog describes it: the text {@code
 * format_type()} prints, the kind Ferry converts to, and the modifiers that decide what fits
 * (varchar/char length, numeric precision and scale, enum labels, array element, domain base).
 * Modifiers that do not apply are -1 (numbers), an empty list (labels) or null (element, base).
 *
 * @param formatted what {@code format_type(atttypid, atttypmod)} prints, e.g. {@code character
 *     varying(20)}; used in messages
 * @param kind what Ferry converts to
 * @param length varchar(n)/char(n)'s n; -1 when unlimited or not a character type
 * @param precision numeric(p, s)'s p; -1 when unconstrained or not numeric
 * @param scale numeric(p, s)'s s; -1 when unconstrained or not numeric
 * @param labels an enum's labels in their declared order; empty otherwise
 * @param element an array's element type; null otherwise
 * @param base a domain's base type; null otherwise
 */
public record CatalogType(
    String formatted,
    Kind kind,
    int length,
    int precision,
    int scale,
    List<String> labels,
    CatalogType element,
    CatalogType base) {

  /** The types Ferry converts to; {@link #OTHER} is any type whose input it cannot check. */
  public enum Kind {
    TEXT,
    VARCHAR,
    CHAR,
    SMALLINT,
    INTEGER,
    BIGINT,
    NUMERIC,
    REAL,
    DOUBLE,
    BOOLEAN,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIME,
    UUID,
    JSON,
    JSONB,
    BYTEA,
    ENUM,
    ARRAY,
    DOMAIN,
    OTHER
  }

  private static final Pattern MODIFIERS =
      Pattern.compile("^([a-z ]+?)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(-?\\d+)\\s*)?\\)$");

  public CatalogType {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /** An enum type named {@code formatted} with these labels. */
  public static CatalogType enumOf(String formatted, List<String> labels) {
    return new CatalogType(formatted, Kind.ENUM, -1, -1, -1, labels, null, null);
  }

  /** An array of {@code element} ({@code formatted} is e.g. {@code text[]}). */
  public static CatalogType arrayOf(CatalogType element) {
    return new CatalogType(element.formatted() + "[]", Kind.ARRAY, -1, -1, -1, null, element, null);
  }

  /** A domain named {@code formatted} over {@code base}. */
  public static CatalogType domainOf(String formatted, CatalogType base) {
    return new CatalogType(formatted, Kind.DOMAIN, -1, -1, -1, null, null, base);
  }

  /** A type Ferry cannot check (inet, interval, a composite, ...): PostgreSQL's input decides. */
  public static CatalogType other(String formatted) {
    return new CatalogType(formatted, Kind.OTHER, -1, -1, -1, null, null, null);
  }

  /**
   * A built-in type from the text {@code format_type()} prints (also accepting the usual SQL
   * spellings: {@code varchar(20)}, {@code int}, {@code timestamptz}, {@code decimal(10,2)}, a
   * trailing {@code []} for arrays). Names it does not know become {@link Kind#OTHER}; enums and
   * domains need the catalog and are made with {@link #enumOf} and {@link #domainOf}.
   */
  public static CatalogType parse(String formatted) {
    String t = formatted.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (t.endsWith("[]")) {
      CatalogType element = parse(t.substring(0, t.length() - 2));
      return new CatalogType(formatted.trim(), Kind.ARRAY, -1, -1, -1, null, element, null);
    }
    String name = t;
    int first = -1;
    int second = -1;
    Matcher m = MODIFIERS.matcher(t);
    if (m.matches()) {
      name = m.group(1).trim();
      first = Integer.parseInt(m.group(2));
      second = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    }
    Kind kind = kindOf(name);
    String shown = formatted.trim();
    return switch (kind) {
      case VARCHAR -> new CatalogType(shown, kind, first, -1, -1, null, null, null);
      case CHAR -> new CatalogType(shown, kind, m.matches() ? first : 1, -1, -1, null, null, null);
      case NUMERIC ->
          new CatalogType(shown, kind, -1, first, m.matches() ? second : -1, null, null, null);
      default -> new CatalogType(shown, kind, -1, -1, -1, null, null, null);
    };
  }

  private static Kind kindOf(String name) {
    return switch (name) {
      case "text" -> Kind.TEXT;
      case "character varying", "varchar" -> Kind.VARCHAR;
      case "character", "char", "bpchar" -> Kind.CHAR;
      case "smallint", "int2" -> Kind.SMALLINT;
      case "integer", "int", "int4" -> Kind.INTEGER;
      case "bigint", "int8" -> Kind.BIGINT;
      case "numeric", "decimal" -> Kind.NUMERIC;
      case "real", "float4" -> Kind.REAL;
      case "double precision", "float8", "float" -> Kind.DOUBLE;
      case "boolean", "bool" -> Kind.BOOLEAN;
      case "date" -> Kind.DATE;
      case "timestamp without time zone", "timestamp" -> Kind.TIMESTAMP;
      case "timestamp with time zone", "timestamptz" -> Kind.TIMESTAMPTZ;
      case "time without time zone", "time" -> Kind.TIME;
      case "uuid" -> Kind.UUID;
      case "json" -> Kind.JSON;
      case "jsonb" -> Kind.JSONB;
      case "bytea" -> Kind.BYTEA;
      default -> Kind.OTHER;
    };
  }
}
