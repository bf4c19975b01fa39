package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ferry's canonical jsonb text and its hash equal what PostgreSQL itself prints and hashes ({@code
 * jsonb::text}, {@code hashtextextended}), for thousands of generated hostile documents; and what
 * jsonb refuses, the canonicalizer refuses too.
 */
class JsonbTextTest {
  private static final List<String> EXAMPLES =
      List.of(
          "{\"b\": 1, \"a\": 2, \"aa\": [1, 2.50, -0, 1e2, 1.5E-3, 0.0e5, -0.0]}",
          "{\"é\": \"ü\\u00e9\\n\\t\\\"\\\\/\\u0001\", \"\": null}",
          "[true, false, null, {}, [], \"\"]",
          "12345678901234567890123456789",
          "\"just a string with \\ud83d\\ude00\"",
          " { \"z\" :[ -0 , -0.000, 1E+2, 0.10 ] ,\n\t\"y\": \"\\/\" } ",
          "{\"long key\": 1, \"b\": {\"bb\": 2, \"a\": 3}, \"é\": 4, \"e\": 5}",
          "{\"a\": 1, \"a\": 2, \"\\u0061\": 3, \"b\": {\"x\": 1, \"x\": [1, {\"y\": 1, \"y\": 2}]}}",
          "{\"k\": {\"a\": 1, \"a\": {\"b\": 1, \"b\": 2, \"c\": 3}}, \"j\": 0}",
          "[1e400, -1e400, 1E-400, 1e131071, 9.9e131071, 1e131072, 1e-16383, 1e-16384]",
          "[0e999999, -0e5, 0.0e-16383, 0.0e-16382, -0.000e1, 1e1073741823, 1e+0000000002]",
          "-0",
          "-0.0",
          "1e400",
          "\"\\u0000\"",
          "\"\\ud800\"",
          "{\"a\":1,}",
          "01",
          "",
          "  ",
          "[1] x",
          "{\"unterminated\": \"",
          "[\"" + "\\u00e9".repeat(5000) + "\", " + "{\"k\": 1}".repeat(1) + "]",
          "[".repeat(2000) + "]".repeat(2000),
          "{\"a\": ".repeat(1500) + "null" + "}".repeat(1500),
          manyKeys());

  @Test
  void canonicalTextAndHashEqualPostgresOnHostileDocuments() throws Exception {
    List<String> docs = new ArrayList<>(EXAMPLES);
    HostileJson json = new HostileJson(new Random(42), 0.0);
    for (int i = 0; i < 3000; i++) {
      docs.add(json.document());
    }
    HostileJson refusing = new HostileJson(new Random(43), 0.04);
    for (int i = 0; i < 1500; i++) {
      docs.add(refusing.document());
    }
    int accepted = 0;
    int refused = 0;
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT t, hashtextextended(t, n) FROM unnest(?::text[]) WITH ORDINALITY d(doc, n),"
                    + " LATERAL (SELECT CASE WHEN pg_input_is_valid(doc, 'jsonb')"
                    + " THEN doc::jsonb::text END AS t) v ORDER BY n")) {
      ps.setArray(1, c.createArrayOf("text", docs.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < docs.size(); i++) {
          assertThat(rs.next()).isTrue();
          String doc = docs.get(i);
          byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
          String expected = rs.getString(1);
          if (expected == null) {
            refused++;
            assertThatThrownBy(() -> JsonbText.canonical(bytes))
                .as("jsonb refuses %s", shown(doc))
                .isInstanceOf(IllegalArgumentException.class);
            continue;
          }
          accepted++;
          assertThat(new String(JsonbText.canonical(bytes), StandardCharsets.UTF_8))
              .as(shown(doc))
              .isEqualTo(expected);
          assertThat(JsonbText.hash(padded(bytes, i), i % 7, bytes.length, i + 1))
              .as("hash of %s", shown(doc))
              .isEqualTo(rs.getLong(2));
        }
      }
    }
    assertThat(accepted).as("documents jsonb accepts").isGreaterThan(3000);
    assertThat(refused).as("documents jsonb refuses").isGreaterThan(200);
  }

  /**
   * The canonicalizer's verdict a one-pass load uses in place of the profile's JSON check: a
   * document it accepts as plain is one {@link JsonText#classify} calls JSON jsonb holds exactly,
   * never invalid or repairable. (A document it is not sure of goes to classify; one it refuses
   * stops the load.) Over the hostile documents, and ones past each limit of the fast scan.
   */
  @Test
  void aDocumentThePlainVerdictAcceptsIsPlainJsonForTheProfile() {
    List<String> docs = new ArrayList<>(EXAMPLES);
    docs.add("[" + "9".repeat(250) + ", 1." + "5".repeat(250) + "]");
    docs.add("[".repeat(300) + "]".repeat(300));
    docs.add("{\"" + "k".repeat(2_000) + "\": 1}");
    docs.add("[\"" + "s".repeat(1_100_000) + "\"]");
    docs.add("{\"a\": 1, \"\\u0061\": 2}");
    HostileJson json = new HostileJson(new Random(44), 0.05);
    for (int i = 0; i < 5000; i++) {
      docs.add(json.document());
    }
    int plain = 0;
    int notPlain = 0;
    for (String doc : docs) {
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      try {
        JsonbText.hash(bytes, 0, bytes.length, 1);
      } catch (IllegalArgumentException refused) {
        continue;
      }
      int kind = JsonText.classify(bytes);
      if (JsonbText.plain()) {
        plain++;
        assertThat(kind).as(shown(doc)).isIn(JsonText.CONTAINER, JsonText.SCALAR);
      } else {
        notPlain++;
      }
    }
    assertThat(plain).isGreaterThan(2000);
    assertThat(notPlain).as("repeated keys and documents past the limits").isGreaterThan(100);
  }

  @Test
  void anyNestingDepthWithoutRecursion() {
    int depth = 200_000;
    String doc = "[{\"a\": ".repeat(depth) + "[]" + "}]".repeat(depth);
    byte[] canonical = JsonbText.canonical(doc.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(canonical, StandardCharsets.UTF_8)).isEqualTo(doc);
  }

  /** The document inside a bigger buffer, with a '"' and a '[' around it that must not be read. */
  private static byte[] padded(byte[] doc, int i) {
    byte[] b = new byte[doc.length + 16];
    java.util.Arrays.fill(b, (byte) (i % 2 == 0 ? '"' : '['));
    System.arraycopy(doc, 0, b, i % 7, doc.length);
    return b;
  }

  private static String manyKeys() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 40; i > 0; i--) {
      s.append(i < 40 ? ", " : "").append("\"k").append(i % 17).append("\": ").append(i);
    }
    return s.append('}').toString();
  }

  private static String shown(String doc) {
    return doc.length() > 300 ? doc.substring(0, 300) + "… (" + doc.length() + " chars)" : doc;
  }
}
