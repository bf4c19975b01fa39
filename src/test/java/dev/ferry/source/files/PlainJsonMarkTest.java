package dev.ferry.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.JsonText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The {@code plain_json} mark of {@code _ferry_columns} lets the planner take a staged column's
 * texts as JSON without classifying each one again, so it must never be set over a value that
 * {@link JsonText#classify} (the oracle, independent of staging) would repair or refuse: a repeated
 * key, a {@code \u0000} in a string or key, at any depth. And it must be set when every record is
 * plain, or it saves nothing. A dirty value in a column that is otherwise plain still ends in
 * ferry.fixups, as it did before the mark existed.
 */
class PlainJsonMarkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 40)
  void aMarkedColumnHoldsOnlyWhatClassifyCallsPlain(@ForAll("records") List<String> records)
      throws Exception {
    Path db = stage(records);
    Map<String, Boolean> marks = marks(db, "store");
    boolean everyRecordPlain =
        records.stream().allMatch(r -> JsonText.classify(utf8(r)) == JsonText.CONTAINER);
    assertThat(marks.get("doc"))
        .as("doc marked when every record is plain")
        .isEqualTo(everyRecordPlain);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      for (Map.Entry<String, Boolean> m : marks.entrySet()) {
        if (!m.getValue()) {
          continue;
        }
        try (ResultSet rs =
            st.executeQuery(
                "SELECT CAST(\""
                    + m.getKey()
                    + "\" AS BLOB) FROM store WHERE \""
                    + m.getKey()
                    + "\" IS NOT NULL")) {
          while (rs.next()) {
            byte[] v = rs.getBytes(1);
            int kind = JsonText.classify(v);
            boolean container = v[0] == '{' || v[0] == '[';
            assertThat(kind)
                .as(
                    "column %s marked plain holds %s",
                    m.getKey(), new String(v, StandardCharsets.UTF_8))
                .isEqualTo(container ? JsonText.CONTAINER : JsonText.SCALAR);
          }
        }
      }
    }
  }

  @Property(tries = 4)
  void aDirtyValueInAnOtherwisePlainColumnIsStillRepaired(
      @ForAll("dirt") String dirt, @ForAll @IntRange(min = 1, max = 120) int line)
      throws Exception {
    List<String> clean = new ArrayList<>();
    for (int i = 1; i <= 120; i++) {
      clean.add(record(i, "\"t" + i + "\"", "\"a\": " + i + ", \"b\": [1, {\"c\": \"x\"}]"));
    }
    Path cleanDb = stage(clean);
    assertThat(marks(cleanDb, "store")).containsEntry("doc", true).containsEntry("meta", true);

    List<String> dirty = new ArrayList<>(clean);
    boolean topLevel = dirt.startsWith("\"text\"");
    dirty.set(
        line - 1,
        topLevel
            ? record(line, "\"t\", " + dirt, "\"a\": 1")
            : record(line, "\"t\"", "\"a\": 1, \"b\": [1, {" + dirt + "}]"));
    assertThat(marks(stage(dirty), "store"))
        .containsEntry("doc", false)
        .containsEntry("meta", false);

    Path dir = Files.createTempDirectory("ferry-plain-json");
    Path file = dir.resolve("store.ndjson");
    Files.writeString(file, String.join("\n", dirty) + "\n");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run(
            "migrate",
            file,
            "--target",
            url.display(),
            "--staging-dir",
            dir.resolve("s"),
            "--on-bad-value",
            "fix",
            "-q");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    Set<String> fixed = new HashSet<>();
    Map<String, String> types = new HashMap<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("SELECT row_key->>'line', column_name FROM ferry.fixups")) {
        while (rs.next()) {
          fixed.add(rs.getString(1) + "/" + rs.getString(2));
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT column_name, data_type FROM information_schema.columns"
                  + " WHERE table_name = 'store'")) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    assertThat(fixed)
        .as(r.all())
        .isEqualTo(topLevel ? Set.of(line + "/doc") : Set.of(line + "/doc", line + "/meta"));
    assertThat(types).containsEntry("doc", "jsonb").containsEntry("meta", "jsonb");
  }

  @Provide
  Arbitrary<String> dirt() {
    return Arbitraries.of(
        "\"c\": \"x\\u0000y\"", // NUL in a nested string
        "\"c\\u0000\": \"x\"", // NUL in a nested key
        "\"c\": 1, \"d\": 2, \"c\": 3", // a nested key repeated
        "\"text\": \"again\""); // a top-level key repeated
  }

  /**
   * Lists of plain records, or of records most of which are plain and the rest may repeat keys (at
   * any depth) or hold NUL in keys or strings: each kind of dirt alone, so that a check missing one
   * of them shows.
   */
  @Provide
  Arbitrary<List<String>> records() {
    return Arbitraries.oneOf(
        object(3, false, false).list().ofMinSize(1).ofMaxSize(12),
        Arbitraries.frequencyOf(
                Tuple.of(4, object(3, false, false)),
                Tuple.of(1, object(3, true, false)),
                Tuple.of(1, object(3, false, true)))
            .list()
            .ofMinSize(1)
            .ofMaxSize(6));
  }

  /** Objects whose keys come from a few names, repeated or not; strings and keys may hold NUL. */
  private static Arbitrary<String> object(int depth, boolean repeats, boolean nul) {
    Arbitrary<String> value =
        depth == 0
            ? scalar(nul)
            : Arbitraries.frequencyOf(
                Tuple.of(3, scalar(nul)),
                Tuple.of(1, object(depth - 1, repeats, nul)),
                Tuple.of(1, array(depth - 1, repeats, nul)));
    Arbitrary<String> key = Arbitraries.of("a", "b", "meta", "id", "x", "y", "z", "w", "v", "u");
    if (nul) {
      key =
          Arbitraries.frequencyOf(
              Tuple.of(8, key), Tuple.of(1, Arbitraries.of("a\u0000", "\u0000")));
    }
    Arbitrary<List<String>> names =
        repeats ? key.list().ofMaxSize(5) : key.list().uniqueElements().ofMaxSize(5);
    return net.jqwik.api.Combinators.combine(names, value.list().ofSize(5))
        .as(
            (keys, values) -> {
              StringBuilder b = new StringBuilder("{");
              for (int i = 0; i < keys.size(); i++) {
                b.append(i > 0 ? ", " : "")
                    .append(quote(keys.get(i)))
                    .append(": ")
                    .append(values.get(i));
              }
              return b.append('}').toString();
            });
  }

  private static Arbitrary<String> array(int depth, boolean repeats, boolean nul) {
    return object(depth, repeats, nul)
        .list()
        .ofMaxSize(3)
        .map(l -> "[" + String.join(", ", l) + "]");
  }

  private static Arbitrary<String> scalar(boolean nul) {
    Arbitrary<String> plain =
        Arbitraries.frequencyOf(
            Tuple.of(
                8,
                Arbitraries.strings()
                    .withCharRange('\u0001', '\u00ff')
                    .withChars("€ñ")
                    .ofMaxLength(8)
                    .map(PlainJsonMarkTest::quote)),
            Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
            Tuple.of(
                1,
                Arbitraries.of(
                    "1e400", "-0", "0.10", "12345678901234567890123", "true", "null", "\"😀\"")));
    return nul
        ? Arbitraries.frequencyOf(
            Tuple.of(6, plain), Tuple.of(1, Arbitraries.of("\"x\\u0000\"", "\"\\u0000\"")))
        : plain;
  }

  private static String record(int id, String text, String meta) {
    return "{\"id\": " + id + ", \"text\": " + text + ", \"meta\": {" + meta + "}}";
  }

  private static Path stage(List<String> records) throws Exception {
    Path dir = Files.createTempDirectory("ferry-plain-json");
    Path file = dir.resolve("store.ndjson");
    Files.writeString(file, String.join("\n", records) + "\n");
    FileStores.Expanded e =
        FileStores.expand(
            file,
            FileRules.DEFAULT,
            BadValuePolicy.FAIL,
            dir.resolve("staging"),
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    return e.sources().get(0);
  }

  /** Column → its plain_json mark, for the columns of {@code table}. */
  private static Map<String, Boolean> marks(Path db, String table) throws Exception {
    Map<String, Boolean> marks = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT col, plain_json FROM _ferry_columns WHERE tbl = '" + table + "'")) {
      while (rs.next()) {
        marks.put(rs.getString(1), rs.getInt(2) == 1);
      }
    }
    return marks;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
