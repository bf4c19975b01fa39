package dev.ferry.source.files;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store means to the application reading it, whatever the encoding, emptiness or repeated
 * keys: loaded as the application reads it, or refused naming the file; never "Skipped" and then
 * "OK".
 */
class StoreEdgesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEXT = "last id: 1790 — café ✓\n";

  @TempDir Path tmp;

  private static long tables(TargetUrl url) {
    return count(
        url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
  }

  private static String one(TargetUrl url, String sql) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static byte[] withBom(String text, Charset charset, int... bom) {
    byte[] body = text.getBytes(charset);
    byte[] out = new byte[bom.length + body.length];
    for (int i = 0; i < bom.length; i++) {
      out[i] = (byte) bom[i];
    }
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  @Test
  void aNamedTextFileInUtf16WithAByteOrderMarkLoadsAsItsText() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("le.txt", withBom(TEXT, StandardCharsets.UTF_16LE, 0xff, 0xfe));
    files.put("be.txt", withBom(TEXT, StandardCharsets.UTF_16BE, 0xfe, 0xff));
    files.put("plain.txt", TEXT.getBytes(StandardCharsets.UTF_8));
    TargetUrl url = TestPostgres.newDatabase();
    int n = 0;
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path file = tmp.resolve(f.getKey());
      Files.write(file, f.getValue());
      String schema = "s" + n++;
      Ferry.Result r = Ferry.run("migrate", file, "--target", url.display(), "--schema", schema);
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(r.out()).doesNotContain("Skipped");
      assertThat(one(url, "SELECT value || final_newline FROM " + schema + ".file_state"))
          .isEqualTo(TEXT);
    }
  }

  @Test
  void aNamedTextFileThatIsNotKnowableTextIsAnErrorNamingItAndNothingLoads() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "latin1.txt",
        TEXT.replace("—", "-").replace("✓", "").getBytes(StandardCharsets.ISO_8859_1));
    files.put("utf16-no-bom.txt", TEXT.getBytes(StandardCharsets.UTF_16LE));
    files.put("bad-utf16.txt", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xd8, 0x41});
    TargetUrl url = TestPostgres.newDatabase();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path file = tmp.resolve(f.getKey());
      Files.write(file, f.getValue());
      Ferry.Result r = Ferry.run("migrate", file, "--target", url.display());
      assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
      assertThat(r.err()).contains(f.getKey()).contains("nothing was loaded");
      assertThat(r.out()).doesNotContain("Skipped").doesNotContain("OK");
      assertThat(tables(url)).isZero();
    }
  }

  @Test
  void emptyFilesInADirectoryAreEmptyStoresAndTheRestLoads() throws Exception {
    Path d = tmp.resolve("bot");
    Path drafts = d.resolve("drafts");
    Files.createDirectories(drafts);
    Files.writeString(d.resolve("failed_tweets.json"), "");
    Files.writeString(d.resolve("blank.json"), " \n");
    Files.writeString(d.resolve("tweets.json"), "[{\"id\": 1}, {\"id\": 2}]");
    Files.writeString(drafts.resolve("a.json"), "{\"text\": \"one\"}");
    Files.writeString(drafts.resolve("b.json"), "");
    Files.writeString(drafts.resolve("c.json"), "{\"text\": \"three\"}");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", d, "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM tweets")).isEqualTo(2);
    assertThat(count(url, "SELECT count(*) FROM failed_tweets")).isZero();
    assertThat(count(url, "SELECT count(*) FROM blank")).isZero();
    assertThat(one(url, "SELECT string_agg(file, ',' ORDER BY file) FROM drafts"))
        .isEqualTo("a.json,c.json");
    assertThat(r.out())
        .contains("failed_tweets.json is empty (0 bytes): table failed_tweets has no rows")
        .contains("blank.json is empty (only whitespace, 2 bytes)")
        .contains("drafts/b.json is empty (0 bytes): no row in table drafts");
  }

  @Test
  void inspectPlanAndVerifyReadWhatMigrateReadsUnderTheSamePolicy() throws Exception {
    Path d = tmp.resolve("store");
    Files.createDirectories(d);
    Files.writeString(d.resolve("log.ndjson"), "{\"n\": 1}\n{\"n\": \n{\"n\": 3}\n");
    Files.writeString(d.resolve("cache.json"), "{\"a\": {\"v\": 1},\n \"a\": {\"v\": 2}}");
    Path staging = tmp.resolve("staging");
    Path plan = tmp.resolve("plan").resolve("ferry.yaml");
    Files.createDirectories(plan.getParent());
    TargetUrl url = TestPostgres.newDatabase();
    Object[][] commands = {
      {"inspect", d, "--staging-dir", staging},
      {"plan", d, "-o", plan, "--staging-dir", staging},
      {"migrate", d, "--target", url.display(), "--staging-dir", staging},
      {"verify", d, "--target", url.display(), "--staging-dir", staging}
    };
    for (Object[] command : commands) {
      Ferry.Result refused = Ferry.run(command);
      assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
      List<Object> setAside = new ArrayList<>(List.of(command));
      setAside.addAll(List.of("--on-bad-value", "set-aside"));
      Ferry.Result r = Ferry.run(setAside.toArray());
      assertThat(r.exitCode()).as(r.all()).isEqualTo(command[0].equals("migrate") ? 3 : 0);
      if (!command[0].equals("migrate")) {
        assertThat(r.all())
            .contains("Set aside (--on-bad-value set-aside): log.ndjson:2 (table log)")
            .contains("cache.json:1 (table cache): key \"a\" appears again at line 2");
      }
    }
    assertThat(one(url, "SELECT v::text FROM cache")).isEqualTo("2");
  }

  /**
   * Keyed objects with keys repeated at random, some with unnested children: the table holds what a
   * JSON reader sees (Jackson's tree, like json.load, keeps the last copy) and every earlier copy
   * is in ferry.rejects.
   */
  @Test
  void numbersBeyondNumericsRangeStayTextAndTheRunIsVerified() throws Exception {
    // 1e999999 is JSON, but neither numeric nor jsonb holds it: the run used to fail (exit 5)
    Path file = tmp.resolve("huge.json");
    Files.writeString(
        file,
        "[{\"id\": 1, \"v\": 1e999999, \"data\": {\"x\": -2.5E+131072}},"
            + " {\"id\": 2, \"v\": 3, \"data\": {\"x\": 1e-5}}]");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", file, "--target", url.display(), "--no-backup");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out()).contains("verified on both sides");
    assertThat(one(url, "SELECT string_agg(v, ',' ORDER BY id) FROM huge")).isEqualTo("1e999999,3");
    assertThat(one(url, "SELECT data FROM huge WHERE id = 1")).isEqualTo("{\"x\":-2.5E+131072}");
    assertThat(
            one(
                url,
                "SELECT string_agg(data_type, ',' ORDER BY column_name) FROM"
                    + " information_schema.columns WHERE table_name = 'huge' AND column_name IN"
                    + " ('v', 'data')"))
        .isEqualTo("text,text");
  }

  @Test
  void repeatedKeysLoadTheLastCopyAndKeepEveryEarlierOne() throws Exception {
    Random random = new Random(5);
    TargetUrl url = TestPostgres.newDatabase();
    for (int round = 0; round < 3; round++) {
      StringBuilder json = new StringBuilder("{");
      int entries = 60 + random.nextInt(60);
      for (int i = 0; i < entries; i++) {
        int media = random.nextInt(4);
        StringBuilder m = new StringBuilder("[");
        for (int k = 0; k < media; k++) {
          m.append(k == 0 ? "" : ",")
              .append("{\"u\": \"m")
              .append(i)
              .append('_')
              .append(k)
              .append("\"}");
        }
        json.append(i == 0 ? "" : ",")
            .append(random.nextBoolean() ? "\n" : " ")
            .append("\"k")
            .append(random.nextInt(25))
            .append("\": {\"n\": ")
            .append(i)
            .append(", \"media\": ")
            .append(m)
            .append("]}");
      }
      json.append("}");
      Path file = tmp.resolve("cache" + round + ".json");
      Files.writeString(file, json);
      JsonNode reader = JSON.readTree(json.toString());
      Ferry.Result r =
          Ferry.run(
              "migrate",
              file,
              "--target",
              url.display(),
              "--unnest",
              "--on-bad-value",
              "set-aside");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(reader.size() < entries ? 3 : 0);
      String table = "cache" + round;
      assertThat(count(url, "SELECT count(*) FROM " + table)).isEqualTo(reader.size());
      assertThat(
              count(url, "SELECT count(*) FROM ferry.rejects WHERE source_table = '" + table + "'"))
          .isEqualTo(entries - reader.size());
      long children = 0;
      for (var e : reader.properties()) {
        assertThat(one(url, "SELECT n::text FROM " + table + " WHERE key = '" + e.getKey() + "'"))
            .isEqualTo(e.getValue().get("n").asText());
        String media =
            one(
                url,
                "SELECT coalesce(string_agg(u, ',' ORDER BY idx), '') FROM "
                    + table
                    + "_media WHERE "
                    + table
                    + "_key = '"
                    + e.getKey()
                    + "'");
        StringBuilder expected = new StringBuilder();
        for (JsonNode m : e.getValue().get("media")) {
          expected.append(expected.length() == 0 ? "" : ",").append(m.get("u").asText());
          children++;
        }
        assertThat(media).as(e.getKey()).isEqualTo(expected.toString());
      }
      assertThat(count(url, "SELECT count(*) FROM " + table + "_media")).isEqualTo(children);
    }
  }
}
