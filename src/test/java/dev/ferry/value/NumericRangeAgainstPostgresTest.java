package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The oracle is PostgreSQL: a JSON number literal, generated around numeric's limits (digits before
 * and after the point, leading zeros in the fraction, exponents that move the point past 10^131072
 * or 16383 places), is held by {@link NumericRange} exactly when the server accepts it as jsonb;
 * and {@link JsonText#classify} never calls a document holding a refused one JSON that jsonb can
 * store (it used to, and the whole load failed). Literals past the JSON parser's length limit are
 * classified as not JSON even when numeric would take them: kept as text, never lost.
 */
class NumericRangeAgainstPostgresTest {
  private static Connection connection;

  @BeforeContainer
  static void connect() throws SQLException {
    connection = TestPostgres.connect(TestPostgres.newDatabase());
  }

  @AfterContainer
  static void close() throws SQLException {
    connection.close();
  }

  @Property(tries = 60)
  void holdsExactlyWhatJsonbAccepts(@ForAll("literals") List<String> literals) throws SQLException {
    List<Boolean> accepted = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT pg_input_is_valid(x, 'jsonb') FROM unnest(?::text[]) WITH ORDINALITY AS"
                + " u(x, n) ORDER BY n")) {
      ps.setArray(1, connection.createArrayOf("text", literals.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          accepted.add(rs.getBoolean(1));
        }
      }
    }
    for (int i = 0; i < literals.size(); i++) {
      String n = literals.get(i);
      String shown = n.length() > 60 ? n.substring(0, 30) + "…(" + n.length() + " chars)" : n;
      assertThat(NumericRange.holds(n)).as(shown).isEqualTo(accepted.get(i));
      byte[] doc = ("{\"v\": [" + n + "]}").getBytes(StandardCharsets.UTF_8);
      int kind = JsonText.classify(doc);
      if (!accepted.get(i)) {
        assertThat(kind).as(shown).isEqualTo(JsonText.INVALID);
      } else if (n.length() <= 1_000) { // longer: past the JSON parser's limit, kept as text
        assertThat(kind).as(shown).isEqualTo(JsonText.CONTAINER);
      }
    }
  }

  @Provide
  Arbitrary<List<String>> literals() {
    Arbitrary<String> sign = Arbitraries.of("", "-");
    Arbitrary<String> integer =
        Arbitraries.oneOf(
            Arbitraries.just("0"),
            Arbitraries.integers().between(1, 999_999).map(String::valueOf),
            Arbitraries.just("1".repeat(131_072)),
            Arbitraries.just("9".repeat(131_073)));
    Arbitrary<String> fraction =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.integers().between(0, 40).map(z -> "." + "0".repeat(z) + "5"),
            Arbitraries.of(16_383, 16_384).map(k -> "." + "1".repeat(k)));
    Arbitrary<String> exponent =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.integers()
                .between(-20_000, 140_000)
                .map(e -> (e % 2 == 0 ? "e" : "E") + (e >= 0 && e % 3 == 0 ? "+" : "") + e),
            Arbitraries.of(
                    131_071, 131_072, 131_066, 131_065, -16_383, -16_384, -16_382, 999_999,
                    -999_999)
                .map(e -> "e" + e));
    return Combinators.combine(sign, integer, fraction, exponent)
        .as((s, i, f, e) -> s + i + f + e)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12);
  }
}
