package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Over generated columns of every SQLite storage class under every kind of declared type: the type
 * Ferry picks never loses a value (each PostgreSQL value converts back to exactly what was stored,
 * by an oracle independent of Ferry), and the canonical encoding agrees on both sides (ferry verify
 * --verify full finds nothing).
 */
class InferencePropertiesTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final List<String> DECLARED =
      List.of(
          "INTEGER",
          "TEXT",
          "REAL",
          "BOOLEAN",
          "DATETIME",
          "DATE",
          "JSON",
          "NUMERIC",
          "",
          "VARCHAR(12)",
          "BLOB",
          "BIGINT");

  @Property(tries = 40)
  void noTypeLosesAValueAndBothSidesAgree(
      @ForAll("declared") String declared, @ForAll("columns") List<Object> values)
      throws Exception {
    Path dir = Files.createTempDirectory("ferry-prop");
    Path db =
        Sqlite.create(
            dir.resolve("p.db"), "CREATE TABLE t (id INTEGER PRIMARY KEY, v " + declared + ")");
    try (Connection c = Sqlite.open(db);
        PreparedStatement ps = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
      for (Object v : values) {
        ps.setObject(1, v);
        ps.executeUpdate();
      }
    }
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q", "--verify", "full");
    assertThat(r.exitCode()).as("declared %s, values %s: %s", declared, values, r.all()).isZero();
    try (Connection lite = Sqlite.open(db);
        Statement a = lite.createStatement();
        Connection pg = TestPostgres.connect(url);
        Statement b = pg.createStatement()) {
      ResultSet s = a.executeQuery("SELECT typeof(v), v FROM t ORDER BY id");
      ResultSet p = b.executeQuery("SELECT v, pg_typeof(v)::text FROM t ORDER BY id");
      while (s.next()) {
        assertThat(p.next()).isTrue();
        String type = p.getString(2);
        assertThat(backToSource(s.getString(1), s, p, type))
            .as(
                "%s value %s stored as %s came back from %s as %s",
                declared, s.getString(2), s.getString(1), type, p.getString(1))
            .isTrue();
      }
    }
  }

  /** True when the PostgreSQL value converts back to exactly the stored value. */
  private static boolean backToSource(String storage, ResultSet s, ResultSet p, String pgType)
      throws Exception {
    if (storage.equals("null")) {
      return p.getObject(1) == null;
    }
    return switch (storage) {
      case "integer" -> {
        long v = s.getLong(2);
        yield switch (pgType) {
          case "bigint", "smallint", "integer" -> p.getLong(1) == v;
          case "double precision" -> (long) p.getDouble(1) == v && p.getDouble(1) == (double) v;
          case "numeric" -> p.getBigDecimal(1).compareTo(BigDecimal.valueOf(v)) == 0;
          case "boolean" -> (p.getBoolean(1) ? 1 : 0) == v;
          case "jsonb" ->
              JSON.readTree(p.getString(1)).decimalValue().compareTo(BigDecimal.valueOf(v)) == 0;
          case "timestamp with time zone" -> {
            Instant t = p.getObject(1, OffsetDateTime.class).toInstant();
            yield t.equals(Instant.ofEpochSecond(v)) || t.equals(Instant.ofEpochMilli(v));
          }
          case "text", "character varying" -> p.getString(1).equals(Long.toString(v));
            // mixed with blobs: numbers are kept as their text, as in a text column
          case "bytea" ->
              Arrays.equals(
                  p.getBytes(1),
                  Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          default -> false;
        };
      }
      case "real" -> {
        double v = s.getDouble(2);
        yield switch (pgType) {
          case "double precision" ->
              Double.doubleToLongBits(p.getDouble(1)) == Double.doubleToLongBits(v);
          case "numeric" -> p.getBigDecimal(1).doubleValue() == v;
          case "jsonb" -> JSON.readTree(p.getString(1)).doubleValue() == v;
          case "text", "character varying" -> Double.parseDouble(p.getString(1)) == v;
          case "bytea" ->
              Double.parseDouble(
                      new String(p.getBytes(1), java.nio.charset.StandardCharsets.US_ASCII))
                  == v;
          default -> false;
        };
      }
      case "text" -> {
        String v = s.getString(2);
        yield switch (pgType) {
          case "text", "character varying" -> p.getString(1).equals(v);
          case "jsonb" -> JSON.readTree(p.getString(1)).equals(JSON.readTree(v));
          case "boolean" ->
              p.getBoolean(1)
                  == List.of("true", "t", "yes", "y", "on", "1")
                      .contains(v.trim().toLowerCase(java.util.Locale.ROOT));
          case "date" -> p.getObject(1, LocalDate.class).equals(LocalDate.parse(v));
          case "timestamp with time zone" ->
              p.getObject(1, OffsetDateTime.class).toInstant().equals(instant(v));
          case "bytea" -> Arrays.equals(p.getBytes(1), s.getBytes(2));
          default -> false;
        };
      }
      default -> pgType.equals("bytea") && Arrays.equals(p.getBytes(1), s.getBytes(2));
    };
  }

  private static Instant instant(String v) {
    String t = v.replace(' ', 'T');
    if (t.length() == 10) {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
      return OffsetDateTime.parse(t).toInstant();
    }
    return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
  }

  @Provide
  Arbitrary<String> declared() {
    return Arbitraries.of(DECLARED);
  }

  @Provide
  Arbitrary<List<Object>> columns() {
    // one "theme" per column, plus occasional NULLs and strays, so that most columns are typed
    Arbitrary<Object> integers =
        Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-1000, 1000),
                Arbitraries.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 9_007_199_254_740_993L))
            .map(x -> x);
    Arbitrary<Object> bits = Arbitraries.of(0, 1).map(x -> x);
    Arbitrary<Object> reals =
        Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(-0.0, 1e300, 0.1, 2.5, -7.0))
            .map(x -> x);
    Arbitrary<Object> epochs = Arbitraries.longs().between(0, 4_000_000_000L).map(x -> x);
    Arbitrary<Object> timestamps =
        Arbitraries.longs()
            .between(-2_000_000_000L, 4_000_000_000L)
            .flatMap(
                sec ->
                    Arbitraries.of(0, 1, 2)
                        .map(
                            style ->
                                (Object)
                                    switch (style) {
                                      case 0 ->
                                          LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC)
                                              .toString()
                                              .replace('T', ' ');
                                      case 1 -> Instant.ofEpochSecond(sec).toString();
                                      default -> LocalDate.ofEpochDay(sec / 86_400).toString();
                                    }));
    Arbitrary<Object> json =
        Arbitraries.of(
                "{\"a\": 1}",
                "[1, 2.50, \"x\"]",
                "{\"k\": {\"n\": null, \"b\": true}}",
                "[]",
                "{\"é\": \"ü\\n\"}")
            .map(x -> x);
    Arbitrary<Object> words = Arbitraries.of("true", "false", "yes", "no", "t", "f").map(x -> x);
    Arbitrary<Object> text =
        Arbitraries.strings()
            .ofMaxLength(20)
            .map(x -> (Object) x.replace("\0", ""))
            .filter(x -> !((String) x).chars().anyMatch(ch -> Character.isSurrogate((char) ch)));
    Arbitrary<Object> blobs = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(x -> x);
    Arbitrary<Arbitrary<Object>> theme =
        Arbitraries.of(
            List.of(integers, bits, reals, epochs, timestamps, json, words, text, blobs));
    return theme.flatMap(
        t ->
            Arbitraries.frequencyOf(
                    Tuple.of(12, t),
                    Tuple.of(1, Arbitraries.just(null)),
                    Tuple.of(1, Arbitraries.oneOf(integers, reals, text)))
                .list()
                .ofMinSize(0)
                .ofMaxSize(12));
  }
}
