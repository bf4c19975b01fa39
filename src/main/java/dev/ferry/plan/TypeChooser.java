package dev.ferry.plan;

import dev.ferry.source.SourceColumn;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses each column's PostgreSQL type from its declared type and the values it actually stores.
 * The rule: a type is chosen only when every stored value converts to it without loss; otherwise
 * the narrowest type that holds them all (ultimately text or bytea). The declared type decides
 * between candidates: JSON, boolean and date/time readings of values are only taken when the
 * declaration (or, for JSON and date/time held in TEXT, every value) says so.
 */
final class TypeChooser {
  private static final Pattern LENGTH = Pattern.compile("\\(\\s*(\\d+)\\s*\\)");
  private static final Pattern BOOLEAN_NAME =
      Pattern.compile(
          "^(is|has|can|should|was|were|did|does|allow|allows|use|uses|enable)_.+"
              + "|.+_(flag|enabled|active|deleted|visible|verified)$"
              + "|^(enabled|active|deleted|archived|verified|visible|hidden|published|done)$");

  private TypeChooser() {}

  /** SQLite's column affinity, from its declared type (section 3.1 of the datatype docs). */
  enum Affinity {
    INTEGER,
    TEXT,
    BLOB,
    REAL,
    NUMERIC
  }

  static Affinity affinity(String declared) {
    String d = declared.toUpperCase(Locale.ROOT);
    if (d.contains("INT")) {
      return Affinity.INTEGER;
    }
    if (d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT")) {
      return Affinity.TEXT;
    }
    if (d.isBlank() || d.contains("BLOB")) {
      return Affinity.BLOB;
    }
    if (d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB")) {
      return Affinity.REAL;
    }
    return Affinity.NUMERIC;
  }

  /** More bad texts than this (and than 1% of the texts) mean binary data stored as TEXT. */
  static final long REPAIRS_BEFORE_BYTEA = 10;

  static TypeChoice choose(SourceColumn column, ColumnProfile p) {
    return withRepairs(column, p).with(p.stored());
  }

  private static TypeChoice withRepairs(SourceColumn column, ColumnProfile p) {
    TypeChoice c = chooseType(column, p);
    long repairs = 0;
    if (c.type().isText()) {
      repairs = p.textRepairs;
    } else if (c.type().kind() == PgType.Kind.JSONB) {
      repairs = p.jsonRepairs + p.textRepairs;
    }
    if (repairs == 0) {
      return c;
    }
    String what =
        p.textRepairs > 0
            ? "invalid UTF-8 or NUL bytes, e.g. '" + p.firstBadText + "'"
            : "JSON that jsonb cannot hold exactly (\\u0000 or duplicate keys)";
    return new TypeChoice(
        c.type(),
        c.epoch(),
        c.reason() + String.format("; %,d values need repair (%s)", repairs, what),
        repairs,
        null);
  }

  /** What the declaration suggests: its text, affinity, and hints of JSON, boolean or time. */
  private record Hints(
      String declared, Affinity affinity, boolean json, boolean bool, boolean time) {
    static Hints of(SourceColumn column) {
      String declared = column.declaredType().toUpperCase(Locale.ROOT);
      Affinity affinity = TypeChooser.affinity(declared);
      boolean bool =
          declared.contains("BOOL")
              || (affinity == Affinity.INTEGER
                  && BOOLEAN_NAME.matcher(column.name().toLowerCase(Locale.ROOT)).matches());
      return new Hints(
          declared,
          affinity,
          declared.contains("JSON"),
          bool,
          declared.contains("DATE") || declared.contains("TIME"));
    }
  }

  private static TypeChoice chooseType(SourceColumn column, ColumnProfile p) {
    Hints h = Hints.of(column);
    String shown =
        column.declaredType().isBlank() ? "no declared type" : "declared " + h.declared();
    String why = shown + "; " + p.storedSummary() + " → ";
    if (column.rowidAlias()) {
      return choice(PgType.BIGINT, why + "identity (INTEGER PRIMARY KEY is the rowid)");
    }
    if (p.nonNull() == 0) {
      return fromDeclaration(
          h.declared(), h.affinity(), h.json(), h.bool(), h.time(), why + "by declaration");
    }
    TypeChoice chosen = binary(p, why);
    if (chosen == null) {
      chosen = byHint(h, p, why);
    }
    return chosen != null ? chosen : byValues(h, p, why);
  }

  /** bytea when any value is a blob, or when too many texts are not text (binary data). */
  private static TypeChoice binary(ColumnProfile p, String why) {
    if (p.blobs > 0) {
      return choice(
          PgType.BYTEA,
          why
              + (p.blobs == p.nonNull()
                  ? "bytea"
                  : "bytea (values mixed with blobs kept as their bytes)"));
    }
    if (p.textRepairs > Math.max(REPAIRS_BEFORE_BYTEA, p.texts / 100)) {
      return choice(
          PgType.BYTEA,
          why
              + String.format(
                  "bytea: %,d text values are not valid UTF-8 or hold NUL bytes (binary data? e.g. '%s')",
                  p.textRepairs, p.firstBadText));
    }
    return null;
  }

  /** The types a declaration must ask for: JSON numbers, booleans, epoch integers. */
  private static TypeChoice byHint(Hints h, ColumnProfile p, String why) {
    if (h.json() && (p.texts == 0 || p.textJson) && p.realsFinite) {
      return choice(
          PgType.JSONB, why + "jsonb (every value is JSON; stored numbers are JSON numbers)");
    }
    if (h.bool()
        && p.reals == 0
        && (p.integers == 0 || p.integersAreBits)
        && (p.texts == 0 || p.textBoolean)) {
      return choice(PgType.BOOLEAN, why + "boolean (every value is 0/1 or a boolean word)");
    }
    if (h.time() && p.integers == p.nonNull()) {
      for (EpochUnit unit : new EpochUnit[] {EpochUnit.SECONDS, EpochUnit.MILLISECONDS}) {
        if (p.epochConsistent(unit)) {
          return new TypeChoice(
              PgType.TIMESTAMPTZ,
              unit,
              why
                  + "timestamptz (integers read as unix epoch "
                  + unit.name().toLowerCase(Locale.ROOT)
                  + ")");
        }
      }
    }
    return null;
  }

  /** What the stored values are: instants, JSON containers, numbers, text of a length. */
  private static TypeChoice byValues(Hints h, ColumnProfile p, String why) {
    String declared = h.declared();
    boolean onlyTexts = p.texts == p.nonNull();
    if (onlyTexts && p.textTimestamp && (h.time() || h.affinity() != Affinity.NUMERIC)) {
      boolean date = p.textDateOnly && !declared.contains("TIME");
      return choice(
          date ? PgType.DATE : PgType.TIMESTAMPTZ,
          why
              + (date
                  ? "date (every value is YYYY-MM-DD)"
                  : "timestamptz (every value is an ISO 8601 date/time; no zone means UTC)"));
    }
    if (onlyTexts && p.textJsonContainer && !p.textTimestamp) {
      return choice(PgType.JSONB, why + "jsonb (every value is a JSON object or array)");
    }
    if (p.texts > 0
        && p.textNumeric
        && p.realsFinite
        && (declared.contains("NUMERIC") || declared.contains("DECIMAL"))) {
      return choice(
          PgType.NUMERIC,
          why + "numeric (every value is a number; some are exact only as written)");
    }
    if (p.texts == 0) {
      return numeric(declared, h.affinity(), p, why);
    }
    if (onlyTexts) {
      return text(declared, h.affinity(), p, why);
    }
    return choice(
        PgType.TEXT,
        why
            + "text (numbers and text mixed; e.g. '"
            + p.firstText
            + "'; numbers kept as their text)");
  }

  /** text, or varchar(n) when declared so and every value fits. */
  private static TypeChoice text(String declared, Affinity affinity, ColumnProfile p, String why) {
    Matcher m = LENGTH.matcher(declared);
    if (affinity == Affinity.TEXT
        && m.find()
        && (declared.contains("VARCHAR") || declared.contains("CHAR"))) {
      int n = Integer.parseInt(m.group(1));
      if (n > 0 && n <= 10_485_760 && p.maxChars <= n) {
        return choice(
            PgType.varchar(n),
            why + "varchar(" + n + ") (longest value " + p.maxChars + " characters)");
      }
      return choice(
          PgType.TEXT,
          why
              + "text (a value of "
              + p.maxChars
              + " characters exceeds the declared length "
              + n
              + ")");
    }
    return choice(PgType.TEXT, why + "text");
  }

  private static TypeChoice numeric(
      String declared, Affinity affinity, ColumnProfile p, String why) {
    boolean onlyIntegers = p.reals == 0;
    if (onlyIntegers && affinity != Affinity.REAL && affinity != Affinity.NUMERIC) {
      if ((declared.contains("SMALLINT")
              || declared.contains("INT2")
              || declared.contains("TINYINT"))
          && p.minInteger >= Short.MIN_VALUE
          && p.maxInteger <= Short.MAX_VALUE) {
        return choice(PgType.SMALLINT, why + "smallint");
      }
      return choice(PgType.BIGINT, why + "bigint");
    }
    if (affinity == Affinity.NUMERIC && p.realsFinite && !declared.contains("BOOL")) {
      return choice(PgType.NUMERIC, why + "numeric");
    }
    if (p.integers == 0 || p.integersFitDouble) {
      return choice(PgType.DOUBLE, why + "double precision (8-byte: every value exact)");
    }
    return choice(
        PgType.NUMERIC,
        why + "numeric (integers beyond 2^53 would lose digits in double precision)");
  }

  private static TypeChoice fromDeclaration(
      String declared, Affinity affinity, boolean json, boolean bool, boolean time, String why) {
    if (json) {
      return choice(PgType.JSONB, why + ": jsonb");
    }
    if (bool) {
      return choice(PgType.BOOLEAN, why + ": boolean");
    }
    if (time) {
      boolean date = declared.contains("DATE") && !declared.contains("TIME");
      return choice(
          date ? PgType.DATE : PgType.TIMESTAMPTZ, why + (date ? ": date" : ": timestamptz"));
    }
    return switch (affinity) {
      case INTEGER ->
          choice(
              declared.contains("SMALLINT") || declared.contains("INT2")
                  ? PgType.SMALLINT
                  : PgType.BIGINT,
              why + ": integer");
      case REAL -> choice(PgType.DOUBLE, why + ": double precision");
      case NUMERIC -> choice(PgType.NUMERIC, why + ": numeric");
      case BLOB ->
          choice(
              declared.isBlank() ? PgType.TEXT : PgType.BYTEA,
              why + (declared.isBlank() ? ": text" : ": bytea"));
      case TEXT -> {
        Matcher m = LENGTH.matcher(declared);
        yield m.find() && declared.contains("CHAR")
            ? choice(PgType.varchar(Integer.parseInt(m.group(1))), why + ": varchar")
            : choice(PgType.TEXT, why + ": text");
      }
    };
  }

  private static TypeChoice choice(PgType type, String reason) {
    return new TypeChoice(type, EpochUnit.NONE, reason);
  }
}
