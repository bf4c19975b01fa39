package dev.ferry.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.value.BadValuePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The staged doc and container columns are the record's JSON as UTF-8 text, whatever the record
 * holds: written as bytes by the staging writer (never through a Java string), they must still be
 * SQLite text (not blobs, which would plan as bytea), decode to exactly the JSON value of the
 * record in the file (an independent parse of the original as the oracle), and keep a character
 * beyond the BMP as its four UTF-8 bytes, as earlier stagings did, not as an escaped surrogate
 * pair. Staging only: no PostgreSQL, so it is quick. The trip to jsonb is {@link
 * JsonDocumentPropertiesTest}'s.
 */
class StagedDocTextTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final java.util.regex.Pattern ESCAPED_SURROGATE =
      java.util.regex.Pattern.compile("(?<!\\\\)\\\\u[dD][89abAB]");

  @Property(tries = 25)
  void stagedDocsAreTheRecordsAsUtf8Text(
      @ForAll("documents") List<String> docs, @ForAll boolean keyed) throws Exception {
    Path dir = Files.createTempDirectory("ferry-staged-doc");
    Path file;
    FileRules rules;
    if (keyed) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < docs.size(); i++) {
        b.append(i == 0 ? "" : ",\n").append("\"k").append(i).append("\": ").append(docs.get(i));
      }
      file = dir.resolve("store.json");
      Files.writeString(file, b.append('}').toString());
      rules = new FileRules(true, false, Set.of(), Map.of("store", "id"), Set.of());
    } else {
      file = dir.resolve("store.ndjson");
      Files.writeString(file, String.join("\n", docs) + "\n");
      rules = FileRules.DEFAULT;
    }
    FileStores.Expanded e =
        FileStores.expand(
            file,
            rules,
            BadValuePolicy.FAIL,
            dir.resolve("staging"),
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    List<String[]> staged = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + e.sources().get(0));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT typeof(doc), doc, length(CAST(doc AS BLOB)) FROM store ORDER BY rowid")) {
      while (rs.next()) {
        staged.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      }
    }
    assertThat(staged).hasSize(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      String[] row = staged.get(i);
      String doc = row[1];
      assertThat(row[0]).as("storage class of doc %d", i).isEqualTo("text");
      assertThat(Long.parseLong(row[2]))
          .as("doc %d is stored as its UTF-8 bytes", i)
          .isEqualTo(doc.getBytes(StandardCharsets.UTF_8).length);
      JsonNode want = JSON.readTree(docs.get(i));
      assertThat(JSON.readTree(doc)).as("doc %d: %s vs %s", i, docs.get(i), doc).isEqualTo(want);
      assertThat(ESCAPED_SURROGATE.matcher(doc).find())
          .as("doc %d keeps characters beyond the BMP as characters: %s", i, doc)
          .isFalse();
    }
  }

  /**
   * An object or array field is staged as its JSON text too (bound as the generator's UTF-8 bytes,
   * like the doc): SQLite text, the field's value exactly, whatever characters it holds; a number
   * beside it in another column keeps its storage class.
   */
  @Property(tries = 15)
  void stagedObjectsAndArraysAreTheirJsonAsUtf8Text(@ForAll("documents") List<String> inner)
      throws Exception {
    Path dir = Files.createTempDirectory("ferry-staged-doc");
    Path file = dir.resolve("store.ndjson");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < inner.size(); i++) {
      String meta = i % 2 == 0 ? inner.get(i) : "[" + inner.get(i) + ", 1]";
      lines.add("{\"n\": " + i + ", \"meta\": " + meta + "}");
    }
    Files.writeString(file, String.join("\n", lines) + "\n");
    FileStores.Expanded e =
        FileStores.expand(
            file,
            FileRules.DEFAULT,
            BadValuePolicy.FAIL,
            dir.resolve("staging"),
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + e.sources().get(0));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT typeof(meta), meta, length(CAST(meta AS BLOB)), typeof(n), n"
                    + " FROM store ORDER BY line")) {
      for (int i = 0; i < lines.size(); i++) {
        assertThat(rs.next()).isTrue();
        String meta = rs.getString(2);
        assertThat(rs.getString(1)).as("storage class of meta %d", i).isEqualTo("text");
        assertThat(rs.getLong(3))
            .as("meta %d is stored as its UTF-8 bytes", i)
            .isEqualTo(meta.getBytes(StandardCharsets.UTF_8).length);
        assertThat(JSON.readTree(meta))
            .as("meta %d", i)
            .isEqualTo(JSON.readTree(lines.get(i)).get("meta"));
        assertThat(rs.getString(4)).isEqualTo("integer");
        assertThat(rs.getLong(5)).isEqualTo(i);
      }
    }
  }

  @Provide
  Arbitrary<List<String>> documents() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(12),
                Arbitraries.strings().withCharRange('\u0001', '\ud7ff').ofMaxLength(12),
                Arbitraries.of("😀", "🚀 naïve 数据", "\u2028", "€", "a\"b\\c", "\t\n"))
            .list()
            .ofMaxSize(3)
            .map(parts -> String.join("", parts));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            text.map(StagedDocTextTest::quote),
            Arbitraries.of("\"\\ud83d\\ude80 escaped\"", "\"\\u00e9\\n\"", "1e400", "-0", "0.10"),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of("true", "false", "null", "[]", "{}", "[1, \"😀\", {\"k\": null}]"),
            text.map(s -> "{\"inner\": " + quote(s) + ", \"n\": [" + quote(s) + "]}"));
    Arbitrary<String> key =
        Arbitraries.oneOf(Arbitraries.of("id", "text", "😀 key", "ключ", "a b"), text);
    return Arbitraries.entries(key, value)
        .list()
        .ofMaxSize(5)
        .map(
            fields -> {
              StringBuilder b = new StringBuilder("{");
              for (var f : fields) {
                b.append(b.length() > 1 ? ", " : "")
                    .append(quote(f.getKey()))
                    .append(": ")
                    .append(f.getValue());
              }
              return b.append('}').toString();
            })
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
