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
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any JSON document survives the trip: written into a file, migrated, and read back from the doc
 * column, it equals the original as jsonb, whatever its nesting, numbers (big, exact decimals),
 * strings (any Unicode) or keys (colliding after snake_case).
 */
class JsonDocumentPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 12)
  void everyDocumentIsKeptEqualAsJsonb(@ForAll("documents") List<String> docs) throws Exception {
    Path dir = Files.createTempDirectory("ferry-json-prop");
    Path file = dir.resolve("docs.json");
    Files.writeString(file, "[" + String.join(",\n", docs) + "]");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", file, "--target", url.display(), "--staging-dir", dir.resolve("s"));
    assertThat(r.exitCode()).as(r.all()).isIn(0, 3); // 3: duplicate keys, kept as jsonb keeps them
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps =
            c.prepareStatement("SELECT doc = ?::jsonb, doc::text FROM docs WHERE ordinal = ?")) {
      for (int i = 0; i < docs.size(); i++) {
        ps.setString(1, docs.get(i));
        ps.setLong(2, i + 1);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getBoolean(1))
              .as("doc %d: %s vs %s", i + 1, docs.get(i), rs.getString(2))
              .isTrue();
        }
      }
    }
  }

  @Provide
  Arbitrary<List<String>> documents() {
    return object(3).list().ofMinSize(1).ofMaxSize(15);
  }

  private static Arbitrary<String> object(int depth) {
    Arbitrary<String> value =
        depth == 0
            ? scalar()
            : Arbitraries.oneOf(scalar(), scalar(), object(depth - 1), array(depth - 1));
    return Arbitraries.entries(key(), value)
        .map(e -> Tuple.of(e.getKey(), e.getValue()))
        .list()
        .ofMaxSize(6)
        .map(
            fields -> {
              StringBuilder b = new StringBuilder("{");
              for (var f : fields) {
                b.append(b.length() > 1 ? ", " : "")
                    .append(quote(f.get1()))
                    .append(": ")
                    .append(f.get2());
              }
              return b.append('}').toString();
            });
  }

  private static Arbitrary<String> array(int depth) {
    Arbitrary<String> value =
        depth == 0 ? scalar() : Arbitraries.oneOf(scalar(), object(depth - 1));
    return value.list().ofMaxSize(4).map(l -> "[" + String.join(", ", l) + "]");
  }

  private static Arbitrary<String> key() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "id", "userId", "user_id", "UserID", "text", "doc", "ordinal", "a b", "ключ", "🔑"),
        Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMaxLength(12));
  }

  private static Arbitrary<String> scalar() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withCharRange('\u0001', '\ud7ff')
            .withChars("€\u2028")
            .ofMaxLength(30)
            .map(JsonDocumentPropertiesTest::quote),
        Arbitraries.bigIntegers()
            .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
            .map(BigInteger::toString),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
            .ofScale(8)
            .map(BigDecimal::toPlainString),
        Arbitraries.doubles().map(d -> Double.toString(d).replace("Infinity", "1e308")),
        Arbitraries.of(
            "\"😀 naïve 数据\"", "true", "false", "null", "1e400", "-0", "0.10", "2.5E-3"));
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
