package dev.ferry.value;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generated catalog types and source values for them, fitting and not, for the oracle tests. */
final class Generated {
  private Generated() {}

  static Arbitrary<CatalogType> types() {
    Arbitrary<CatalogType> sized =
        Arbitraries.oneOf(
            Arbitraries.integers()
                .between(1, 25)
                .map(n -> CatalogType.parse("character varying(" + n + ")")),
            Arbitraries.integers()
                .between(1, 10)
                .map(n -> CatalogType.parse("character(" + n + ")")),
            Combinators.combine(
                    Arbitraries.integers().between(1, 20), Arbitraries.integers().between(0, 20))
                .as((p, s) -> CatalogType.parse("numeric(" + p + "," + Math.min(s, p) + ")")));
    Arbitrary<CatalogType> named =
        Arbitraries.of(
                "text",
                "character varying",
                "smallint",
                "integer",
                "bigint",
                "numeric",
                "real",
                "double precision",
                "boolean",
                "date",
                "timestamp without time zone",
                "timestamp with time zone",
                "time without time zone",
                "uuid",
                "json",
                "jsonb",
                "bytea",
                "integer[]",
                "text[]",
                "numeric(6,2)[]",
                "jsonb[]",
                "boolean[]")
            .map(CatalogType::parse);
    Arbitrary<CatalogType> catalog =
        Arbitraries.of(
            CatalogType.enumOf(
                "mood", List.of("sad", "ok", "happy", "Ünïcode label", "with space")),
            CatalogType.domainOf("short_name", CatalogType.parse("character varying(10)")));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, sized),
        net.jqwik.api.Tuple.of(6, named),
        net.jqwik.api.Tuple.of(1, catalog));
  }

  /** Values aimed at the type (fitting, near misses) mixed with values of every other kind. */
  static Arbitrary<Object> valuesFor(CatalogType t) {
    CatalogType b = ConversionAgainstPostgresTest.base(t);
    Arbitrary<Object> aimed =
        switch (b.kind()) {
          case TEXT, VARCHAR, CHAR, OTHER, DOMAIN -> strings();
          case SMALLINT, INTEGER, BIGINT ->
              Arbitraries.oneOf(integers(), integerTexts(), doubles());
          case NUMERIC -> Arbitraries.oneOf(decimalTexts(), integers(), doubles());
          case REAL, DOUBLE -> Arbitraries.oneOf(doubles(), decimalTexts(), integers(), specials());
          case BOOLEAN -> booleans();
          case DATE, TIMESTAMP, TIMESTAMPTZ -> timestamps();
          case TIME -> times();
          case UUID -> uuids();
          case JSON, JSONB -> json();
          case BYTEA -> Arbitraries.oneOf(blobs(), strings());
          case ENUM -> labels();
          case ARRAY -> arrays(t.element());
        };
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, aimed), net.jqwik.api.Tuple.of(1, anything()));
  }

  static Arbitrary<Object> anything() {
    return Arbitraries.oneOf(strings(), integers(), doubles(), blobs(), timestamps(), json());
  }

  static Arbitrary<Object> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(14).map(s -> (Object) s),
        Arbitraries.strings().withChars("ab Zé€😀 ").ofMaxLength(26).map(s -> (Object) s));
  }

  static Arbitrary<Object> integers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.longs().between(-70_000, 70_000).map(l -> (Object) l),
        Arbitraries.of(
            32767L,
            32768L,
            -32768L,
            -32769L,
            2147483647L,
            2147483648L,
            -2147483648L,
            -2147483649L,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            0L));
  }

  static Arbitrary<Object> integerTexts() {
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.longs().between(-70_000, 70_000).map(BigInteger::valueOf),
                Arbitraries.bigIntegers()
                    .between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(20))),
            Arbitraries.of("%s", " %s ", "+%s", "%s.0", "%se0", "0x%s", "%s."))
        .as((n, f) -> (Object) String.format(Locale.ROOT, f, n));
  }

  static Arbitrary<Object> decimalTexts() {
    return Combinators.combine(
            Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L),
            Arbitraries.integers().between(-4, 12),
            Arbitraries.of("plain", "sci", "spaced"))
        .as(
            (unscaled, scale, form) -> {
              BigDecimal d = BigDecimal.valueOf(unscaled, scale);
              return (Object)
                  switch (form) {
                    case "plain" -> d.toPlainString();
                    case "sci" -> d.toString().toLowerCase(Locale.ROOT);
                    default -> " " + d.toPlainString() + " ";
                  };
            });
  }

  static Arbitrary<Object> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(bits -> (Object) Double.longBitsToDouble(bits)),
        Combinators.combine(
                Arbitraries.longs().between(-10_000_000, 10_000_000),
                Arbitraries.integers().between(-3, 8))
            .as((u, s) -> (Object) BigDecimal.valueOf(u, s).doubleValue()),
        Arbitraries.of(
                0.1,
                0.5,
                1e20,
                Double.parseDouble("2e23"),
                1.5e-5,
                3.0,
                -0.0,
                1e6,
                123456.7,
                (double) Float.MIN_VALUE)
            .map(d -> (Object) d));
  }

  static Arbitrary<Object> specials() {
    return Arbitraries.<Object>of(
        "NaN",
        "Infinity",
        "-Infinity",
        "inf",
        "1e400",
        "-1e-400",
        Double.POSITIVE_INFINITY,
        Double.NaN);
  }

  static Arbitrary<Object> booleans() {
    return Arbitraries.<Object>of(
        "true", "false", "t", "f", "yes", "no", "on", "off", "1", "0", " TRUE ", "Y", "maybe", "2",
        "", 0L, 1L, 2L, 1.0);
  }

  static Arbitrary<Object> timestamps() {
    Arbitrary<LocalDateTime> when =
        Combinators.combine(
                Arbitraries.longs().between(-62_135_596_800L + 86_400, 253_402_300_799L - 86_400),
                Arbitraries.of(0, 0, 500_000_000, 123_456_000, 1_000, 999_999_000, 123_456_789))
            .as((s, n) -> LocalDateTime.ofEpochSecond(s, n, ZoneOffset.UTC));
    Arbitrary<Object> valid =
        Combinators.combine(
                when,
                Arbitraries.of("date", "T", " ", "minutes"),
                Arbitraries.of("", "Z", "+00:00", "+05:30", "-08", "-0330", "+14:00", "+00"))
            .as(Generated::timestampText)
            .map(s -> (Object) s);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, valid),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.<Object>of(
                "2024-02-30",
                "2023-02-29 10:00:00",
                "2024-13-01",
                "24:00",
                "0000-01-01",
                "2024-01-01 24:00:00",
                "2024-01-01 10:00:00+16:00",
                1715201543L)));
  }

  private static String timestampText(LocalDateTime t, String form, String zone) {
    String date =
        String.format(
            Locale.ROOT, "%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
    if (form.equals("date")) {
      return date;
    }
    String time = String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute());
    if (!form.equals("minutes")) {
      time += String.format(Locale.ROOT, ":%02d", t.getSecond());
      int nanos = t.get(java.time.temporal.ChronoField.NANO_OF_SECOND);
      if (nanos != 0) {
        String f = String.format(Locale.ROOT, "%09d", nanos);
        time += "." + (f.endsWith("000") ? f.substring(0, 6) : f);
      }
    }
    return date + (form.equals("T") ? "T" : " ") + time + zone;
  }

  static Arbitrary<Object> times() {
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.integers().between(0, 25),
                Arbitraries.integers().between(0, 60),
                Arbitraries.of("", ":07", ":59.5", ":00.123456", ":01.1234567"))
            .as((h, m, rest) -> (Object) String.format(Locale.ROOT, "%02d:%02d%s", h, m, rest)),
        strings());
  }

  static Arbitrary<Object> uuids() {
    return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.longs(),
            Arbitraries.of("plain", "upper", "braces", "bare", "short", "blob"))
        .as(
            (a, b, form) -> {
              String u = new UUID(a, b).toString();
              return (Object)
                  switch (form) {
                    case "upper" -> u.toUpperCase(Locale.ROOT);
                    case "braces" -> "{" + u + "}";
                    case "bare" -> u.replace("-", "");
                    case "short" -> u.substring(1);
                    case "blob" -> java.nio.ByteBuffer.allocate(16).putLong(a).putLong(b).array();
                    default -> u;
                  };
            });
  }

  static Arbitrary<Object> json() {
    return Arbitraries.longs().map(seed -> (Object) randomJson(new Random(seed), 3));
  }

  private static String randomJson(Random r, int depth) {
    int pick = r.nextInt(depth <= 0 ? 6 : 9);
    return switch (pick) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> Long.toString(r.nextLong() >> r.nextInt(64));
      case 3 -> BigDecimal.valueOf(r.nextInt(), r.nextInt(12) - 3).toString();
      case 4 ->
          '"' + new String(JsonStringEncoder.getInstance().quoteAsString(randomText(r))) + '"';
      case 5 ->
          r.nextInt(10) == 0
              ? "{\"a\": 1, \"a\": 2}"
              : r.nextInt(10) == 0 ? "\"\\u0000\"" : "[1, 2";
      case 6, 7 -> {
        StringBuilder o = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          o.append(i > 0 ? ", " : "")
              .append("\"k")
              .append(r.nextInt(30))
              .append("\": ")
              .append(randomJson(r, depth - 1));
        }
        yield o.append('}').toString();
      }
      default -> {
        StringBuilder a = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.append(i > 0 ? "," : "").append(randomJson(r, depth - 1));
        }
        yield a.append(']').toString();
      }
    };
  }

  private static String randomText(Random r) {
    String chars = "ab \"\\/é€😀\n\t{},";
    StringBuilder s = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      s.appendCodePoint(
          chars.codePointAt(
              chars.offsetByCodePoints(0, r.nextInt(chars.codePointCount(0, chars.length())))));
    }
    return s.toString();
  }

  static Arbitrary<Object> blobs() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(b -> (Object) b);
  }

  static Arbitrary<Object> labels() {
    return Arbitraries.<Object>of(
        "sad", "ok", "happy", "Ünïcode label", "with space", "Sad", "ok ", "", "NULL");
  }

  static Arbitrary<Object> arrays(CatalogType element) {
    Arbitrary<Object> items = valuesFor(element).filter(v -> !(v instanceof byte[]));
    return Arbitraries.oneOf(
        items.list().ofMaxSize(5).map(Generated::jsonArray),
        Arbitraries.<Object>of("[]", "[null]", "[[1,2],[3,4]]", "not json", "{\"a\": 1}", "[1,"));
  }

  private static Object jsonArray(List<Object> items) {
    StringBuilder a = new StringBuilder("[");
    for (Object v : items) {
      if (a.length() > 1) {
        a.append(',');
      }
      if (v instanceof Long || (v instanceof Double d && Double.isFinite(d))) {
        a.append(v instanceof Double d ? RealText.of(d) : v.toString());
      } else if (v instanceof String s && s.indexOf('\0') < 0) {
        a.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
      } else {
        a.append("null");
      }
    }
    return a.append(']').toString();
  }
}
