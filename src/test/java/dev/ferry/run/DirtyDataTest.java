package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.examples.DirtyExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lossless on dirty data: every source row is in the target equal to the source, or its original
 * bytes are in ferry.fixups (value repaired) or ferry.rejects (row set aside). The oracle is
 * independent of Ferry's own rules: java.time, Jackson trees, raw bytes.
 */
class DirtyDataTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void fixLoadsEverythingAndRecordsEveryRepairVerbatim() throws Exception {
    Path db = tmp.resolve("dirty.db");
    DirtyExample.write(db, 60);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    // the source's UNIQUE (at) holds texts that are one instant once typed: PostgreSQL refuses it,
    // so the target lacks a constraint the source has (exit 4), though every value is verified
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.out())
        .contains("FIXED 4")
        .contains("VERIFICATION FAILED: table events, UNIQUE (\"at\") was not created")
        .contains("checksums of every value verified (with repairs kept in ferry.fixups")
        .doesNotContain("OK:")
        .contains("created as UNIQUE (\"code\") instead")
        .contains("NULL in the key ×1")
        .contains("duplicate (2024-01-01 00:00:00+00) ×2")
        .contains("CHECK (balance >= 0): created NOT VALID")
        .contains("REFERENCES items: created NOT VALID");
    Map<String, byte[]> fixups = new HashMap<>();
    try (Connection pg = TestPostgres.connect(url);
        Statement st = pg.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT row_key->>'id', column_name, original_base64 FROM ferry.fixups")) {
      while (rs.next()) {
        fixups.put(
            rs.getString(1) + "/" + rs.getString(2), Base64.getDecoder().decode(rs.getString(3)));
      }
    }
    assertThat(fixups).hasSize(4);
    int equal = 0;
    try (Connection lite = Sqlite.open(db);
        Statement a = lite.createStatement();
        Connection pg = TestPostgres.connect(url);
        Statement b = pg.createStatement()) {
      ResultSet s = a.executeQuery("SELECT * FROM items ORDER BY id");
      ResultSet p = b.executeQuery("SELECT * FROM items ORDER BY id");
      ResultSetMetaData meta = p.getMetaData();
      while (s.next()) {
        assertThat(p.next()).isTrue();
        String id = s.getString("id");
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String column = meta.getColumnName(i);
          Object source = s.getObject(i);
          byte[] sourceBytes = s.getBytes(i);
          if (same(meta.getColumnTypeName(i), source, sourceBytes, p, i)) {
            equal++;
          } else {
            assertThat(fixups.get(id + "/" + column))
                .as("row %s column %s differs and has no fixup", id, column)
                .isEqualTo(sourceBytes);
          }
        }
      }
      assertThat(p.next()).isFalse();
    }
    // the duplicate-key document {"k": 1, "k": 2} equals its repair {"k": 2} to a JSON reader too
    assertThat(equal).isEqualTo(60 * 12 - 3);
    assertThat(count(url, "SELECT count(*) FROM accounts"))
        .as("rows breaking constraints are kept")
        .isEqualTo(4);
    assertThat(count(url, "SELECT count(*) FROM events")).isEqualTo(3);
    assertThat(
            count(
                url,
                "SELECT count(*) FROM ferry.runs WHERE state = 'verification_failed' AND exit_code = 4"))
        .isOne();
    Ferry.Result again = Ferry.run("verify", db, "--target", url.display());
    assertThat(again.exitCode())
        .as("repairs are accounted for in the checksums: " + again.all())
        .isZero();
  }

  @Test
  void setAsideKeepsTheWholeRowVerbatimInRejects() throws Exception {
    Path db = tmp.resolve("dirty.db");
    DirtyExample.write(db, 40);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", db, "--target", url.display(), "-q", "--on-bad-value", "set-aside");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4); // UNIQUE (at) not created, as above
    assertThat(r.out()).contains("SET ASIDE 4");
    assertThat(count(url, "SELECT count(*) FROM items")).isEqualTo(36);
    Set<String> rejected = new HashSet<>();
    try (Connection pg = TestPostgres.connect(url);
        Statement st = pg.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT row_key->>'id', original_row::text, reason FROM ferry.rejects")) {
      while (rs.next()) {
        rejected.add(rs.getString(1));
        if (rs.getString(1).equals("18")) {
          String b64 = JSON.readTree(rs.getString(2)).get("note").get("base64").asText();
          assertThat(Base64.getDecoder().decode(b64))
              .isEqualTo(new byte[] {'b', 'a', 'd', (byte) 0xc3, '(', (byte) 0xff});
        }
      }
    }
    assertThat(rejected).containsExactlyInAnyOrder("17", "18", "19", "20");
    Ferry.Result again =
        Ferry.run("verify", db, "--target", url.display(), "--on-bad-value", "set-aside");
    assertThat(again.exitCode()).as(again.all()).isZero();
  }

  @Test
  void failStopsNamingTableKeyColumnAndValue() {
    Path db = tmp.resolve("dirty.db");
    DirtyExample.write(db, 40);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run("migrate", db, "--target", url.display(), "-q", "--on-bad-value", "fail");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(5);
    assertThat(r.all())
        .contains("table items")
        .contains("rowid 17")
        .contains("column note")
        .contains("NUL byte");
  }

  private static boolean same(String pgType, Object source, byte[] sourceBytes, ResultSet p, int i)
      throws Exception {
    if (source == null) {
      return p.getObject(i) == null;
    }
    return switch (pgType) {
      case "jsonb" -> JSON.readTree(p.getString(i)).equals(JSON.readTree(sourceBytes));
      case "timestamptz" ->
          p.getObject(i, OffsetDateTime.class)
              .toInstant()
              .equals(Instant.ofEpochSecond(((Number) source).longValue()));
      case "bool" -> p.getBoolean(i) == Set.of("1", "true", "yes").contains(String.valueOf(source));
      case "float8" -> p.getDouble(i) == ((Number) source).doubleValue();
      case "numeric" ->
          p.getBigDecimal(i).compareTo(new java.math.BigDecimal(String.valueOf(source))) == 0;
      case "int8" -> p.getLong(i) == ((Number) source).longValue();
      default ->
          java.util.Arrays.equals(
              p.getString(i).getBytes(StandardCharsets.UTF_8),
              source instanceof Number
                  ? String.valueOf(source).getBytes(StandardCharsets.UTF_8)
                  : sourceBytes);
    };
  }
}
