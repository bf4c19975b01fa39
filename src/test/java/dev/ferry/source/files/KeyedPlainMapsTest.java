package dev.ferry.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * A JSON object keyed by id whose values are plain (seed 000's {tweet id: processed at}) becomes
 * rows of (key, value), one per entry, never one row of many columns; whatever kinds its values
 * have, each value reads back equal, as JSON, to the one in the file. A list of plain values (seed
 * 000's unprocessed_tweets.json, a list of tweet ids) is rows of (ordinal, value) the same way.
 */
class KeyedPlainMapsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One kind of plain value; MIXED draws each value from any kind. */
  enum Kind {
    STRING,
    INTEGER,
    BIG_INTEGER,
    DECIMAL,
    DOUBLE,
    BOOLEAN,
    MIXED
  }

  @Property(tries = 10)
  void everyEntryIsARowOfKeyAndValueEqualToTheFile(
      @ForAll("maps") Tuple2<Kind, List<Tuple2<Long, String>>> map,
      @ForAll boolean ruleNamesIt,
      @ForAll boolean asList)
      throws Exception {
    Map<String, String> entries = new LinkedHashMap<>();
    for (Tuple2<Long, String> e : map.get2()) {
      entries.put(
          asList ? Integer.toString(entries.size() + 1) : Long.toString(e.get1()), e.get2());
    }
    ruleNamesIt &= !asList; // files.keyed names the key of a keyed map only
    Path dir = Files.createTempDirectory("ferry-plain-map");
    Path file = dir.resolve("processed_tweets.json");
    StringBuilder text = new StringBuilder(asList ? "[" : "{");
    entries.forEach(
        (k, v) ->
            text.append(text.length() > 1 ? ",\n " : "")
                .append(asList ? "" : quote(k) + ": ")
                .append(v));
    Files.writeString(file, text.append(asList ? "]\n" : "}\n"));
    List<Object> args =
        new ArrayList<>(
            List.of(
                "migrate",
                file,
                "--staging-dir",
                dir.resolve("s"),
                "--verify",
                "full",
                "--target"));
    TargetUrl url = TestPostgres.newDatabase();
    args.add(url.display());
    if (ruleNamesIt) { // files.keyed accepts a map of plain values, and names its key column
      Path config = dir.resolve("ferry.yaml");
      Files.writeString(config, "files:\n  keyed: {processed_tweets: tweet_id}\n");
      args.addAll(List.of("--config", config));
    }
    Ferry.Result r = Ferry.run(args.toArray());
    assertThat(r.exitCode()).as(r.all()).isZero();

    String key = asList ? "ordinal" : ruleNamesIt ? "tweet_id" : "key";
    Map<String, String> columns = columns(url);
    assertThat(columns.keySet()).containsExactly(key, "value");
    long kinds =
        entries.values().stream()
            .map(KeyedPlainMapsTest::kindOf)
            .filter(k -> !k.equals("null"))
            .distinct()
            .count();
    if (kinds > 1) { // 1, "1" and true stay apart only as JSON
      assertThat(columns.get("value")).as("values of %d kinds", kinds).isEqualTo("jsonb");
    }
    String read =
        columns.get("value").equals("jsonb")
            ? "value IS NOT DISTINCT FROM ?::jsonb"
            : "to_jsonb(value) IS NOT DISTINCT FROM ?::jsonb";
    try (Connection c = TestPostgres.connect(url)) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM processed_tweets")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(entries.size());
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + read
                  + ", value::text FROM processed_tweets WHERE "
                  + key
                  + "::text = ?")) {
        for (Map.Entry<String, String> e : entries.entrySet()) {
          ps.setString(1, e.getValue().equals("null") ? null : e.getValue());
          ps.setString(2, e.getKey());
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("key %s", e.getKey()).isTrue();
            assertThat(rs.getBoolean(1))
                .as("key %s: %s in the file, %s loaded", e.getKey(), e.getValue(), rs.getString(2))
                .isTrue();
          }
        }
      }
    }
  }

  @Property(tries = 1)
  void seed000sProcessedTweetsAreRowsOfTweetIdAndInstant() throws Exception {
    Path dir = Files.createTempDirectory("ferry-plain-map");
    Path file = dir.resolve("processed_tweets.json");
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < 1500; i++) {
      text.append(i == 0 ? "" : ", ")
          .append('"')
          .append(1_750_000_000_000_000_000L + i)
          .append("\": \"2024-06-01T12:")
          .append(String.format("%02d:%02d", i / 60 % 60, i % 60))
          .append(".123456\"");
    }
    Files.writeString(file, text.append('}'));
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", file, "--staging-dir", dir.resolve("s"), "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(columns(url)).containsEntry("value", "timestamp with time zone").hasSize(2);
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM processed_tweets")).isEqualTo(1500);
    assertThat(
            TestPostgres.count(
                url,
                "SELECT count(*) FROM processed_tweets WHERE key::text = '1750000000000000061'"
                    + " AND value = '2024-06-01T12:01:01.123456Z'"))
        .isEqualTo(1);
  }

  private static Map<String, String> columns(TargetUrl url) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name"
                    + " = 'processed_tweets' ORDER BY ordinal_position")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  @Provide
  Arbitrary<Tuple2<Kind, List<Tuple2<Long, String>>>> maps() {
    return Arbitraries.of(Kind.class)
        .flatMap(
            kind ->
                Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), value(kind))
                    .as(Tuple::of)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(40)
                    .uniqueElements(Tuple2::get1)
                    .map(l -> Tuple.of(kind, l)));
  }

  private static Arbitrary<String> value(Kind kind) {
    Arbitrary<String> v =
        switch (kind) {
          case STRING ->
              Arbitraries.strings()
                  .withCharRange('\u0001', '\ud7ff')
                  .withChars("€\u2028")
                  .ofMaxLength(30)
                  // an emoji whole (withChars would split its surrogate pair into lone halves)
                  .map(s -> s.length() % 3 == 0 ? s + "😀" : s)
                  .map(s -> quote("s" + s)); // never a number, boolean or date in disguise
          case INTEGER -> Arbitraries.longs().map(String::valueOf);
          case BIG_INTEGER ->
              Arbitraries.bigIntegers()
                  .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                  .map(BigInteger::toString);
          case DECIMAL ->
              Arbitraries.bigDecimals()
                  .between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
                  .ofScale(8)
                  .map(BigDecimal::toPlainString);
          case DOUBLE -> Arbitraries.doubles().between(-1e300, 1e300).map(d -> Double.toString(d));
          case BOOLEAN -> Arbitraries.of("true", "false");
          case MIXED ->
              Arbitraries.oneOf(
                  value(Kind.STRING),
                  value(Kind.INTEGER),
                  value(Kind.BIG_INTEGER),
                  value(Kind.DECIMAL),
                  value(Kind.DOUBLE),
                  value(Kind.BOOLEAN));
        };
    return Arbitraries.frequencyOf(Tuple.of(9, v), Tuple.of(1, Arbitraries.just("null")));
  }

  /** A value's JSON kind, read from its text: string, number, boolean or null. */
  private static String kindOf(String json) {
    char c = json.charAt(0);
    return c == '"' ? "string" : c == 't' || c == 'f' ? "boolean" : c == 'n' ? "null" : "number";
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
