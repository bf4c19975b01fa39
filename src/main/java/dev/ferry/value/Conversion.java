package dev.ferry.value;

import dev.ferry.value.CatalogType.Kind;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How source values become a target column's declared type: the COPY text-format field (before COPY
 * escaping; null for SQL NULL) that is exactly what PostgreSQL will store and print back, so a
 * checksum of it equals the server's. A value the type cannot hold exactly (too long, out of range,
 * more fraction digits than the scale, NaN where the type has none, not a date, not a label of the
 * enum, ...) throws {@link ValueDoesNotFit} with the reason; nothing is truncated or rounded.
 *
 * <p>Source values are what a SQLite row gives (null, Long, Double, String, byte[]) or what a
 * {@link Transform} made of them (also BigDecimal, Boolean, Instant, LocalDateTime, LocalDate).
 * Times print as PostgreSQL prints them with DateStyle ISO and TimeZone UTC; a text time without a
 * zone is UTC, as SQLite's date functions write it. A domain converts as its base type: its CHECK
 * constraints are PostgreSQL's to enforce. {@link Kind#OTHER} types are passed as text for
 * PostgreSQL's input function to judge ({@link #checked()} is false).
 */
public final class Conversion {
  /** One kind's rule: a non-null source value to its COPY text. */
  @FunctionalInterface
  interface Rule {
    String apply(Object value) throws ValueDoesNotFit;
  }

  private final CatalogType type;
  private final Rule rule;

  private Conversion(CatalogType type, Rule rule) {
    this.type = type;
    this.rule = rule;
  }

  /** The conversion to {@code t}. */
  public static Conversion to(CatalogType t) {
    return new Conversion(t, ruleFor(t));
  }

  /** The type converted to. */
  public CatalogType type() {
    return type;
  }

  /** False for a type Ferry cannot check ({@link Kind#OTHER}, or an array or domain of one). */
  public boolean checked() {
    CatalogType t = type;
    while (t.kind() == Kind.DOMAIN || t.kind() == Kind.ARRAY) {
      t = t.kind() == Kind.DOMAIN ? t.base() : t.element();
    }
    return t.kind() != Kind.OTHER;
  }

  /**
   * The COPY text field PostgreSQL will store for {@code value} (unescaped; null = SQL NULL).
   *
   * @throws ValueDoesNotFit when the type cannot hold the value exactly
   */
  public String copyText(Object value) throws ValueDoesNotFit {
    return value == null ? null : rule.apply(value);
  }

  static Rule ruleFor(CatalogType t) {
    String name = t.formatted();
    return switch (t.kind()) {
      case TEXT, OTHER -> SourceValues::text;
      case VARCHAR -> v -> varchar(SourceValues.text(v), t.length(), name);
      case CHAR -> v -> character(SourceValues.text(v), t.length(), name);
      case SMALLINT -> v -> NumberRules.integer(v, Short.MIN_VALUE, Short.MAX_VALUE, name);
      case INTEGER -> v -> NumberRules.integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE, name);
      case BIGINT -> v -> NumberRules.integer(v, Long.MIN_VALUE, Long.MAX_VALUE, name);
      case NUMERIC -> v -> NumberRules.numeric(v, t.precision(), t.scale(), name);
      case REAL -> v -> NumberRules.real(v, name);
      case DOUBLE -> v -> NumberRules.doublePrecision(v, name);
      case BOOLEAN -> Conversion::bool;
      case DATE -> TimeRules::date;
      case TIMESTAMP -> TimeRules::timestamp;
      case TIMESTAMPTZ -> TimeRules::timestamptz;
      case TIME -> TimeRules::time;
      case UUID -> Conversion::uuid;
      case JSON -> JsonRules::json;
      case JSONB -> JsonRules::jsonb;
      case BYTEA -> Conversion::bytea;
      case ENUM -> v -> label(v, t);
      case ARRAY -> new ArrayRule(t);
      case DOMAIN -> ruleFor(t.base());
    };
  }

  private static String varchar(String s, int n, String name) throws ValueDoesNotFit {
    int chars = s.codePointCount(0, s.length());
    if (n >= 0 && chars > n) {
      throw new ValueDoesNotFit(chars + " characters do not fit " + name);
    }
    return s;
  }

  /**
   * char(n) pads with spaces and treats trailing spaces as insignificant (its text drops them), so
   * a value with trailing spaces would not come back as it was: refused.
   */
  private static String character(String s, int n, String name) throws ValueDoesNotFit {
    varchar(s, n, name);
    if (!s.isEmpty() && s.charAt(s.length() - 1) == ' ') {
      throw new ValueDoesNotFit(
          SourceValues.shown(s) + " ends in spaces, which " + name + " does not keep");
    }
    return s;
  }

  private static String bool(Object v) throws ValueDoesNotFit {
    if (v instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (v instanceof Long l && (l == 0 || l == 1)) {
      return l == 1 ? "t" : "f";
    }
    if (v instanceof String || v instanceof byte[]) {
      String s = SourceValues.text(v);
      int parsed = Booleans.parse(s.getBytes(StandardCharsets.UTF_8));
      if (parsed != Booleans.INVALID) {
        return parsed == 1 ? "t" : "f";
      }
    }
    throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not a boolean (true/false, 1/0)");
  }

  private static String uuid(Object v) throws ValueDoesNotFit {
    if (v instanceof byte[] b && b.length == 16) {
      return hyphenated(HexFormat.of().formatHex(b));
    }
    if (v instanceof String || v instanceof byte[]) {
      String s = SourceValues.text(v);
      String inner = s.startsWith("{") && s.endsWith("}") ? s.substring(1, s.length() - 1) : s;
      String hex = inner.length() == 36 ? dehyphenate(inner) : inner;
      if (hex != null && hex.length() == 32 && isHex(hex)) {
        return hyphenated(hex.toLowerCase(Locale.ROOT));
      }
    }
    throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not a uuid");
  }

  private static String dehyphenate(String s) {
    for (int i : new int[] {8, 13, 18, 23}) {
      if (s.charAt(i) != '-') {
        return null;
      }
    }
    return s.substring(0, 8)
        + s.substring(9, 13)
        + s.substring(14, 18)
        + s.substring(19, 23)
        + s.substring(24);
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }

  private static String hyphenated(String hex) {
    return hex.substring(0, 8)
        + '-'
        + hex.substring(8, 12)
        + '-'
        + hex.substring(12, 16)
        + '-'
        + hex.substring(16, 20)
        + '-'
        + hex.substring(20);
  }

  private static String bytea(Object v) throws ValueDoesNotFit {
    byte[] b;
    if (v instanceof byte[] blob) {
      b = blob;
    } else if (v instanceof String s) {
      SourceValues.checkText(s);
      b = s.getBytes(StandardCharsets.UTF_8);
    } else {
      throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not bytes");
    }
    return "\\x" + HexFormat.of().formatHex(b);
  }

  private static String label(Object v, CatalogType t) throws ValueDoesNotFit {
    String s = SourceValues.text(v);
    if (t.labels().contains(s)) {
      return s;
    }
    throw new ValueDoesNotFit(
        SourceValues.shown(s) + " is not a label of " + t.formatted() + " " + t.labels());
  }
}
