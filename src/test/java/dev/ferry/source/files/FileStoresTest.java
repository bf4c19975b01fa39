package dev.ferry.source.files;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.examples.FileStoresExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON, NDJSON and text stores migrated end to end into a real PostgreSQL. */
class FileStoresTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static Map<String, String> columns(TargetUrl url, String table) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema"
                    + " = 'public' AND table_name = '"
                    + table
                    + "' ORDER BY ordinal_position")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private static String one(TargetUrl url, String sql) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void seed000KnowledgeBaseBecomesTypedTablesWithEveryDocumentAndItsSearchIndex() throws Exception {
    Path data = tmp.resolve("data");
    FileStoresExample.knowledgeBase(data, 400, 7);
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(
        config,
        """
        files:
          keyed: {tweet_cache: tweet_id}
          unnest: [tweet_cache.media]
        indexes:
          tweet_cache:
            - gin: doc
            - trigram: content_data->>'text'
        """);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", data, "--target", url.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isZero();

    assertThat(columns(url, "tweet_cache"))
        .containsEntry("tweet_id", "text")
        .containsEntry("cache_complete", "boolean")
        .containsEntry("content_data", "jsonb")
        .containsEntry("cached_at", "timestamp with time zone")
        .containsEntry("relevance", "double precision")
        .containsEntry("doc", "jsonb")
        .doesNotContainKey("media")
        .doesNotContainKey("tweet_id_2"); // the field equal to the key is the key
    assertThat(columns(url, "tweet_cache_media"))
        .containsKeys("tweet_cache_tweet_id", "idx", "url", "type", "width");
    assertThat(columns(url, "runtime_stats")).containsEntry("key", "date");
    assertThat(columns(url, "processing_queue")).containsEntry("priority", "bigint");

    // the oracle: the file itself, read whole by Jackson
    JsonNode cache = JSON.readTree(data.resolve("tweet_cache.json").toFile());
    long english = 0;
    long media = 0;
    for (Iterator<JsonNode> it = cache.elements(); it.hasNext(); ) {
      JsonNode t = it.next();
      english += t.get("content_data").get("lang").asText().equals("en") ? 1 : 0;
      media += t.get("media").size();
    }
    assertThat(count(url, "SELECT count(*) FROM tweet_cache")).isEqualTo(cache.size());
    assertThat(count(url, "SELECT count(*) FROM tweet_cache WHERE content_data->>'lang' = 'en'"))
        .isEqualTo(english);
    assertThat(count(url, "SELECT count(*) FROM tweet_cache_media")).isEqualTo(media);
    // every document kept whole, equal as jsonb to the file's
    String first = cache.fieldNames().next();
    assertThat(
            one(
                url,
                "SELECT doc = '"
                    + JSON.writeValueAsString(cache.get(first)).replace("'", "''")
                    + "'::jsonb FROM tweet_cache WHERE tweet_id = '"
                    + first
                    + "'"))
        .isEqualTo("t");
    // seed 000's search uses its trigram index
    String plan;
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      try (ResultSet rs =
          st.executeQuery(
              "EXPLAIN SELECT tweet_id FROM tweet_cache WHERE content_data->>'text' ILIKE"
                  + " '%postgres migration%'")) {
        StringBuilder b = new StringBuilder();
        while (rs.next()) {
          b.append(rs.getString(1)).append('\n');
        }
        plan = b.toString();
      }
    }
    assertThat(plan).contains("tweet_cache_content_data_text_trigram");
    assertThat(r.out()).contains("VERIFIED");
  }

  @Test
  void seed003BotDirectoryBecomesDraftsUsageAndState() throws Exception {
    Path bot = tmp.resolve("bot");
    FileStoresExample.bot(bot, 25, 3);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", bot, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM drafts")).isEqualTo(25);
    assertThat(columns(url, "drafts"))
        .containsEntry("file", "text")
        .containsEntry("modified", "timestamp with time zone")
        .containsEntry("character_count", "bigint")
        .containsEntry("created_at", "timestamp with time zone")
        .containsEntry("doc", "jsonb");
    assertThat(count(url, "SELECT count(*) FROM api_usage")).isEqualTo(3);
    assertThat(one(url, "SELECT value FROM file_state WHERE key = 'last_tweet_id'"))
        .isEqualTo(Files.readString(bot.resolve("logs/last_tweet_id.txt")).strip());
    assertThat(one(url, "SELECT path FROM file_state WHERE key = 'last_tweet_id'"))
        .isEqualTo("logs/last_tweet_id.txt");
    assertThat(
            one(
                url,
                "SELECT value || coalesce(final_newline, '') FROM file_state"
                    + " WHERE key = 'last_tweet_id'"))
        .isEqualTo(Files.readString(bot.resolve("logs/last_tweet_id.txt")));
  }

  @Test
  void everyShapeIsRead() throws Exception {
    Path d = tmp.resolve("shapes");
    Files.createDirectories(d);
    Files.writeString(
        d.resolve("people.json"),
        "[{\"userId\": 1, \"user_id\": 2, \"big\": 123456789012345678901234567890,"
            + " \"price\": 3.141592653589793238462643, \"flag\": true, \"mixed\": 1},"
            + " {\"userId\": 3, \"big\": 7, \"price\": 0.5, \"flag\": false, \"mixed\": \"x\","
            + " \"tags\": [1, 2]},"
            + " {\"userId\": 4, \"mixed\": {\"a\": 1}, \"tags\": \"none\"}]");
    Files.writeString(
        d.resolve("wrapped.json"), "{\"version\": 2, \"items\": [{\"a\": 1}, {\"a\": 2}]}");
    Files.writeString(d.resolve("settings.json"), "{\"theme\": \"dark\", \"size\": 12}");
    Files.writeString(d.resolve("events.jsonl"), "{\"e\": 1}\r\n\n{\"e\": 2}\n");
    Files.writeString(d.resolve("scalars.json"), "[1, \"two\", null, [3]]");
    StringBuilder wide = new StringBuilder("{");
    for (int i = 0; i < 1100; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": ").append(i);
    }
    Files.writeString(d.resolve("wide.json"), "[" + wide + "}]");
    String longName = "a_very_long_field_name_".repeat(4);
    Files.writeString(
        d.resolve("long.json"), "[{\"" + longName + "x\": 1, \"" + longName + "y\": 2}]");
    Sqlite.create(
        d.resolve("app.db"),
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"
            + "INSERT INTO notes (body) VALUES ('hello');");
    Files.writeString(d.resolve("picture.png"), "not really");

    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", d, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("Skipped: picture.png");

    Map<String, String> people = columns(url, "people");
    assertThat(people)
        .containsEntry("ordinal", "bigint")
        .containsEntry("user_id", "bigint")
        .containsEntry("user_id_2", "bigint")
        .containsEntry("big", "numeric")
        .containsEntry("price", "numeric")
        .containsEntry("flag", "boolean")
        .containsEntry("mixed", "jsonb")
        .containsEntry("tags", "jsonb");
    assertThat(one(url, "SELECT price::text FROM people WHERE ordinal = 1"))
        .isEqualTo("3.141592653589793238462643");
    assertThat(one(url, "SELECT big::text FROM people WHERE ordinal = 1"))
        .isEqualTo("123456789012345678901234567890");
    assertThat(one(url, "SELECT mixed::text FROM people WHERE ordinal = 2")).isEqualTo("\"x\"");
    assertThat(one(url, "SELECT tags::text FROM people WHERE ordinal = 3")).isEqualTo("\"none\"");
    assertThat(count(url, "SELECT count(*) FROM wrapped")).isEqualTo(2);
    assertThat(one(url, "SELECT value FROM file_state WHERE path = 'wrapped.json'")).isEqualTo("2");
    assertThat(count(url, "SELECT count(*) FROM settings")).isEqualTo(1);
    assertThat(columns(url, "settings")).containsEntry("theme", "text");
    assertThat(count(url, "SELECT count(*) FROM events")).isEqualTo(2);
    assertThat(one(url, "SELECT string_agg(line::text, ',' ORDER BY line) FROM events"))
        .isEqualTo("1,3");
    assertThat(count(url, "SELECT count(*) FROM scalars")).isEqualTo(4);
    assertThat(one(url, "SELECT doc::text FROM scalars WHERE ordinal = 2")).isEqualTo("\"two\"");
    assertThat(columns(url, "wide")).hasSize(1 + 1000 + 1);
    assertThat(one(url, "SELECT doc->>'k1099' FROM wide")).isEqualTo("1099");
    List<String> longColumns = new ArrayList<>(columns(url, "long").keySet());
    assertThat(longColumns).hasSize(4);
    assertThat(longColumns.get(1)).isNotEqualTo(longColumns.get(2));
    assertThat(longColumns.get(1).length()).isLessThanOrEqualTo(63);
    assertThat(count(url, "SELECT count(*) FROM notes")).isEqualTo(1);
    assertThat(r.out()).contains("field \"user_id\" is column user_id_2");
    assertThat(r.out()).contains("table wide: 100 fields beyond the first 1,000 stay in doc only");
  }

  @Test
  void aTruncatedFileIsNamedWithLineAndColumnAndNothingIsLoaded() throws Exception {
    Path d = tmp.resolve("broken");
    Files.createDirectories(d);
    Files.writeString(d.resolve("good.json"), "[{\"a\": 1}]");
    Files.writeString(d.resolve("bad.json"), "[{\"a\": 1},\n {\"a\": 2,\n");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", d, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).containsPattern("bad\\.json:3:\\d+: not valid JSON");
    Files.delete(d.resolve("bad.json"));
    assertThat(
            count(
                url,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
        .isZero();
    Path crashed = tmp.resolve("crashed.json");
    Files.writeString(crashed, "  \n");
    Ferry.Result empty = Ferry.run("migrate", crashed, "--target", url.display());
    assertThat(empty.exitCode()).as("a file the user named").isEqualTo(2);
    assertThat(empty.err()).contains("crashed.json: empty, not a JSON document");
  }

  @Test
  void badNdjsonLinesFailByDefaultOrAreSetAsideWithTheirLineNumber() throws Exception {
    Path f = tmp.resolve("log.ndjson");
    Files.writeString(f, "{\"n\": 1}\n{\"n\": 2}\n{\"n\": \n{\"n\": 4}\n");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result failed = Ferry.run("migrate", f, "--target", url.display());
    assertThat(failed.exitCode()).isEqualTo(2);
    assertThat(failed.err()).contains("log.ndjson:3:").contains("set-aside");

    Ferry.Result r =
        Ferry.run("migrate", f, "--target", url.display(), "--on-bad-value", "set-aside");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.out()).contains("SET ASIDE 1");
    assertThat(count(url, "SELECT count(*) FROM log")).isEqualTo(3);
    assertThat(
            one(
                url,
                "SELECT row_key->>'line' || ' ' || (original_row->>'text') FROM ferry.rejects"))
        .isEqualTo("3 {\"n\": ");
  }

  @Test
  void aRepeatedKeyInAKeyedObjectIsNamed() throws Exception {
    Path f = tmp.resolve("cache.json");
    Files.writeString(f, "{\"1\": {\"a\": 1},\n \"2\": {\"a\": 2},\n \"1\": {\"a\": 3}}");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", f, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("cache.json:3: key \"1\" appears again (first at line 1)");
    Ferry.Result kept =
        Ferry.run("migrate", f, "--target", url.display(), "--on-bad-value", "set-aside");
    assertThat(kept.exitCode()).as(kept.all()).isEqualTo(3);
    assertThat(one(url, "SELECT a::text FROM cache WHERE key = '1'"))
        .as("the last copy, as json.load, JavaScript and jsonb read the file")
        .isEqualTo("3");
    assertThat(
            one(
                url,
                "SELECT row_key->>'line' || ' ' || (original_row->>'text') || ' ' || reason"
                    + " FROM ferry.rejects"))
        .isEqualTo(
            "1 {\"a\":1} key \"1\" appears again at line 3; the later copy is loaded, as JSON"
                + " readers (json.load, JavaScript, jsonb) read the file");
  }

  @Test
  void anUnchangedDirectoryIsNotStagedAgain() throws Exception {
    Path bot = tmp.resolve("bot");
    FileStoresExample.bot(bot, 3, 1);
    Path staging = tmp.resolve("staging");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result first =
        Ferry.run("migrate", bot, "--target", url.display(), "--staging-dir", staging);
    assertThat(first.exitCode()).as(first.all()).isZero();
    Ferry.Result again =
        Ferry.run(
            "migrate",
            bot,
            "--target",
            url.display(),
            "--staging-dir",
            staging,
            "--if-exists",
            "drop");
    assertThat(again.exitCode()).as(again.all()).isZero();
    assertThat(again.out()).contains("reused");
    assertThat(one(url, "SELECT source FROM ferry.runs ORDER BY started_at DESC LIMIT 1"))
        .isEqualTo(bot.toAbsolutePath().toString());
  }

  @Test
  void aPlanOfADirectoryRunsAsWritten() throws Exception {
    Path bot = tmp.resolve("bot");
    FileStoresExample.bot(bot, 4, 2);
    Path plan = tmp.resolve("plan").resolve("ferry.yaml");
    Files.createDirectories(plan.getParent());
    Ferry.Result p = Ferry.run("plan", bot, "-o", plan, "--staging-dir", tmp.resolve("staging"));
    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out()).contains("ferry migrate --config " + plan + " " + bot.toAbsolutePath());
    assertThat(Files.readString(plan))
        .contains("keep: []")
        .contains("drafts.character_count: bigint");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result m = Ferry.run("migrate", "--config", plan, bot, "--target", url.display());
    assertThat(m.exitCode()).as(m.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM drafts")).isEqualTo(4);
  }

  @Test
  void aLoneSurrogateIsNeverWrittenOnChanged() throws Exception {
    Path f = tmp.resolve("odd.json");
    Files.writeString(f, "[{\"a\": \"ok\"},\n {\"a\": \"half \\ud800 pair\"}]");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", f, "--target", url.display());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("odd.json:2:").contains("lone UTF-16 surrogate \\ud800");

    Path lines = tmp.resolve("odd.ndjson");
    Files.writeString(lines, "{\"a\": \"ok\"}\n{\"\\udc00\": 1}\n{\"a\": \"\\ud83d\\ude00\"}\n");
    Ferry.Result kept =
        Ferry.run("migrate", lines, "--target", url.display(), "--on-bad-value", "set-aside");
    assertThat(kept.exitCode()).as(kept.all()).isEqualTo(3);
    assertThat(count(url, "SELECT count(*) FROM odd")).isEqualTo(2);
    assertThat(one(url, "SELECT a FROM odd WHERE line = 3")).isEqualTo("\uD83D\uDE00");
    assertThat(one(url, "SELECT row_key->>'line' FROM ferry.rejects")).isEqualTo("2");
  }

  @Test
  void aRepeatedKeyWithUnnestedChildrenIsStillNamedOrSetAside() throws Exception {
    Path f = tmp.resolve("posts.json");
    Files.writeString(
        f, "{\"p1\": {\"media\": [{\"u\": \"a\"}]},\n \"p1\": {\"media\": [{\"u\": \"b\"}]}}");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", f, "--target", url.display(), "--unnest");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
    assertThat(r.err()).contains("posts.json:2: key \"p1\" appears again (first at line 1)");
    Ferry.Result kept =
        Ferry.run(
            "migrate", f, "--target", url.display(), "--unnest", "--on-bad-value", "set-aside");
    assertThat(kept.exitCode()).as(kept.all()).isEqualTo(3);
    assertThat(one(url, "SELECT string_agg(u, ',') FROM posts_media")).isEqualTo("b");
    assertThat(one(url, "SELECT original_row->>'text' FROM ferry.rejects")).contains("\"u\":\"a\"");
  }
}
