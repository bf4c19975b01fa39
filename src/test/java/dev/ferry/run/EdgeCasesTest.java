package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The awkward shapes real databases have: odd names, empty tables, thousands of tables, huge
 * values.
 */
class EdgeCasesTest {
  @TempDir Path tmp;

  @Test
  void oddNamesAreQuotedAndQueryable() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("names.db"),
            """
        CREATE TABLE "Order" ("User" TEXT, "group" INTEGER, "first name" TEXT, "a""b" TEXT, [from] TEXT, `Ünïcode` TEXT);
        INSERT INTO "Order" VALUES ('u', 1, 'f', 'q', 'fr', 'ü');
        CREATE INDEX "Order Index" ON "Order" ("group" DESC, "first name");
        CREATE TABLE "CamelCase" (Id INTEGER PRIMARY KEY, OrderRef TEXT);
        INSERT INTO "CamelCase" (OrderRef) VALUES ('x')""");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM \"order\" WHERE \"user\" = 'u' AND \"group\" = 1 AND \"first name\" = 'f'"
                    + " AND \"a\"\"b\" = 'q' AND \"from\" = 'fr' AND \"Ünïcode\" = 'ü'"))
        .isOne();
    assertThat(count(url, "SELECT count(*) FROM camelcase WHERE orderref = 'x'"))
        .as("unquoted SQL works")
        .isOne();
    assertThat(count(url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'order index'"))
        .isOne();
  }

  @Test
  void keepCaseKeepsNamesAsWritten() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("case.db"),
            "CREATE TABLE \"CamelCase\" (Id INTEGER PRIMARY KEY, OrderRef TEXT);\nINSERT INTO \"CamelCase\" (OrderRef) VALUES ('x')");
    TargetUrl url = TestPostgres.newDatabase();
    assertThat(Ferry.run("migrate", db, "--target", url.display(), "-q", "--keep-case").exitCode())
        .isZero();
    assertThat(count(url, "SELECT count(*) FROM \"CamelCase\" WHERE \"OrderRef\" = 'x'")).isOne();
  }

  @Test
  void emptyTablesAndTablesWithoutSomeKindsOfColumn() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("empty.db"),
            """
        CREATE TABLE empty_one (id INTEGER PRIMARY KEY, note TEXT NOT NULL, at DATETIME, doc JSON, flag BOOLEAN);
        CREATE TABLE only_blobs (b BLOB);
        INSERT INTO only_blobs VALUES (X'01'), (NULL)""");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM empty_one")).isZero();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'empty_one'"
                    + " AND data_type IN ('text', 'timestamp with time zone', 'jsonb', 'boolean', 'bigint')"))
        .isEqualTo(5);
    assertThat(count(url, "SELECT count(*) FROM only_blobs WHERE b = '\\x01'::bytea")).isOne();
  }

  @Test
  void twelveHundredTables() throws Exception {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < 1200; i++) {
      script.append("CREATE TABLE t").append(i).append(" (id INTEGER PRIMARY KEY, v TEXT);\n");
      script.append("INSERT INTO t").append(i).append(" (v) VALUES ('").append(i).append("');\n");
    }
    Path db = Sqlite.create(tmp.resolve("many.db"), script.toString().replaceAll(";\n$", ""));
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
        .isEqualTo(1200);
    assertThat(count(url, "SELECT count(*) FROM ferry.table_results")).isEqualTo(1200);
    assertThat(count(url, "SELECT count(*) FROM t1199 WHERE v = '1199'")).isOne();
  }

  @Test
  void hundredMegabyteTextAndBlobValues() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("huge.db"), "CREATE TABLE big (id INTEGER PRIMARY KEY, t TEXT, b BLOB)");
    byte[] text = new byte[100 << 20];
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) ('a' + i % 26);
    }
    byte[] blob = new byte[100 << 20];
    new java.util.Random(1).nextBytes(blob);
    try (Connection c = Sqlite.open(db);
        PreparedStatement ps = c.prepareStatement("INSERT INTO big (t, b) VALUES (?, ?)")) {
      ps.setString(1, new String(text, StandardCharsets.US_ASCII));
      ps.setBytes(2, blob);
      ps.executeUpdate();
    }
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q");
    assertThat(r.exitCode()).as(r.all()).isZero();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT length(t), md5(t), length(b), md5(b) FROM big")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(text.length);
      assertThat(rs.getString(2)).isEqualTo(md5(text));
      assertThat(rs.getLong(3)).isEqualTo(blob.length);
      assertThat(rs.getString(4)).isEqualTo(md5(blob));
    }
  }

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }
}
