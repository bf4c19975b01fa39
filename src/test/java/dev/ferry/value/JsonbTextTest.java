package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Ferry's canonical jsonb text equals what PostgreSQL prints, for thousands of random documents.
 */
class JsonbTextTest {
  private final Random random = new Random(42);

  @Test
  void canonicalTextEqualsPostgres() throws Exception {
    List<String> docs =
        new ArrayList<>(
            List.of(
                "{\"b\": 1, \"a\": 2, \"aa\": [1, 2.50, -0, 1e2, 1.5E-3, 0.0e5, -0.0]}",
                "{\"é\": \"ü\\u00e9\\n\\t\\\"\\\\/\\u0001\", \"\": null}",
                "[true, false, null, {}, [], \"\"]",
                "12345678901234567890123456789",
                "\"just a string with \\ud83d\\ude00\"",
                " { \"z\" :[ -0 , -0.000, 1E+2, 0.10 ] ,\n\t\"y\": \"\\/\" } ",
                "{\"long key\": 1, \"b\": {\"bb\": 2, \"a\": 3}, \"é\": 4, \"e\": 5}"));
    for (int i = 0; i < 3000; i++) {
      docs.add(value(3));
    }
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
      for (String doc : docs) {
        ps.setString(1, doc);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          String expected = rs.getString(1);
          String actual =
              new String(
                  JsonbText.canonical(doc.getBytes(StandardCharsets.UTF_8)),
                  StandardCharsets.UTF_8);
          assertThat(actual).as(doc).isEqualTo(expected);
          assertThat(JsonbText.canonicalByTree(doc.getBytes(StandardCharsets.UTF_8)))
              .as("one-pass and tree canonicalizers agree on %s", doc)
              .isEqualTo(
                  doc.getBytes(StandardCharsets.UTF_8).length == 0
                      ? null
                      : actual.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  private String value(int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 5);
    return switch (kind) {
      case 0 -> Integer.toString(random.nextInt(2000) - 1000);
      case 1 ->
          String.format(
              "%s%d.%d%s",
              random.nextBoolean() ? "-" : "",
              random.nextInt(100),
              random.nextInt(1000),
              random.nextBoolean() ? "e" + (random.nextInt(20) - 10) : "");
      case 2 -> string();
      case 3 -> random.nextBoolean() ? "true" : "null";
      case 4 -> "false";
      case 5, 6 -> {
        StringBuilder s = new StringBuilder("{");
        int n = random.nextInt(5);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String k = string();
          String decoded =
              decode(k); // "\\/" and "/" are the same key: jsonb documents have none twice
          if (keys.contains(decoded)) {
            continue;
          }
          keys.add(decoded);
          s.append(keys.size() > 1 ? "," : "")
              .append(k)
              .append(random.nextBoolean() ? ":" : " : ")
              .append(value(depth - 1));
        }
        yield s.append('}').toString();
      }
      default -> {
        StringBuilder s = new StringBuilder("[");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          s.append(i > 0 ? ", " : "").append(value(depth - 1));
        }
        yield s.append(']').toString();
      }
    };
  }

  private static String decode(String jsonString) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(jsonString, String.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String string() {
    String[] pieces = {
      "a", "b", "key", "Ünï", "日本", "\\n", "\\\"", "\\\\", "\\u0007", "\\u00e9", " ", "/", "\\/",
      "😀", "é"
    };
    StringBuilder s = new StringBuilder("\"");
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      s.append(pieces[random.nextInt(pieces.length)]);
    }
    return s.append('"').toString();
  }
}
