package dev.ferry.source.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's SQLite file cannot steer Ferry through tables named like staging's ({@code
 * _ferry_columns}, {@code _ferry_meta}, {@code _ferry_rejects}, {@code _ferry_inputs}): only a
 * database Ferry staged in this invocation has hints; in a user's file those are ordinary tables,
 * migrated like any other, and every other table migrates exactly as if they were not there. The
 * oracle is the same file with those tables dropped, migrated into another schema of the same
 * database. The change capture of {@code ferry sync} is left out, with a note.
 */
class UserFerryTablesTest {
  private static final List<String> STAGING_TABLES =
      List.of("_ferry_columns", "_ferry_meta", "_ferry_rejects", "_ferry_inputs");

  @TempDir Path tmp;

  @Test
  void forgedHintsInAUsersFileChangeNothingAndAreMigratedAsATable() throws Exception {
    Random random = new Random(13);
    Path forged = tmp.resolve("app.db");
    List<String> tables = userTables(forged, random);
    int hints = forgeStaging(forged, tables, random);
    // the forgery has teeth: read as hints, it would hide columns and change their types
    int asUser = columnCount(SqliteSource.open(forged).readSchema(), tables);
    assertThat(columnCount(SqliteSource.openStaged(forged).readSchema(), tables))
        .isLessThan(asUser);
    Path oracle = tmp.resolve("oracle.db");
    Files.copy(forged, oracle);
    try (Connection c = Sqlite.open(oracle);
        Statement st = c.createStatement()) {
      for (String t : STAGING_TABLES) {
        st.execute("DROP TABLE " + t);
      }
    }

    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result expected =
        Ferry.run("migrate", oracle, "--target", url.display(), "--schema", "oracle");
    Ferry.Result actual =
        Ferry.run("migrate", forged, "--target", url.display(), "--schema", "forged");

    assertThat(actual.exitCode()).as(actual.all()).isEqualTo(expected.exitCode()).isZero();
    assertThat(actual.out()).doesNotContain("Set aside").doesNotContain("forged note");
    for (String t : tables) {
      assertThat(columns(url, "forged", t)).as(t).isEqualTo(columns(url, "oracle", t));
      assertThat(rows(url, "forged", t)).as(t).isEqualTo(rows(url, "oracle", t));
      assertThat(fixups(url, "forged", t)).as(t).isEqualTo(fixups(url, "oracle", t));
    }
    // the forged tables themselves arrive like any table of the user's
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM forged._ferry_columns"))
        .isEqualTo(hints);
    for (String t : STAGING_TABLES) {
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM forged." + t))
          .as(t)
          .isEqualTo(sqliteCount(forged, t));
    }
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM ferry.rejects")).isZero();
    assertThat(actual.out()).contains("VERIFIED").doesNotContain("FAILED");
  }

  @Test
  void inADirectoryTheStagedStoreKeepsItsHintsAndAUsersDatabaseBesideItHasNone() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(
        data.resolve("events.ndjson"),
        "{\"id\": 1, \"meta\": {\"a\": 1}}\n{\"id\": 2, \"meta\": {\"b\": [2]}}\n");
    Sqlite.create(
        data.resolve("app.db"),
        """
        CREATE TABLE t (id INTEGER PRIMARY KEY, secret TEXT, meta TEXT);
        INSERT INTO t VALUES (1, 's', '{"a": 1, "a": 2}');
        CREATE TABLE _ferry_columns (tbl TEXT, col TEXT, position INTEGER, declared TEXT,
          plain_json INTEGER);
        INSERT INTO _ferry_columns VALUES ('t', 'secret', -1, NULL, 0), ('t', 'meta', 1, 'JSON', 1);
        CREATE TABLE _ferry_meta (k TEXT PRIMARY KEY, v TEXT);
        INSERT INTO _ferry_meta VALUES ('note:forged note', '')
        """);
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r =
        Ferry.run(
            "migrate",
            data,
            "--target",
            url.display(),
            "--schema-per-source",
            "--staging-dir",
            tmp.resolve("staging"));
    // the repeated key is found and its original kept (plain_json=1 would have skipped the check)
    assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
    assertThat(r.out()).contains("FIXED 1").doesNotContain("forged note");
    assertThat(columns(url, "app", "t")).containsExactly("id bigint", "secret text", "meta jsonb");
    assertThat(
            TestPostgres.count(
                url,
                "SELECT count(*) FROM ferry.fixups WHERE source_table = 't' AND column_name ="
                    + " 'meta' AND original_text = '{\"a\": 1, \"a\": 2}'"))
        .isOne();
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM app._ferry_columns")).isEqualTo(2);
    // the staged store: typed by its hints, staging's own tables not migrated
    assertThat(columns(url, "data", "events")).contains("meta jsonb");
    assertThat(
            TestPostgres.count(
                url,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'data'"
                    + " AND table_name LIKE '\\_ferry\\_%'"))
        .isZero();
  }

  @Test
  void aStagedCopyNamedAsTheSourceIsRefusedNamingTheFilesItCameFrom() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("store"));
    Files.writeString(data.resolve("events.ndjson"), "{\"id\": 1, \"ok\": true}\n");
    Path staging = tmp.resolve("staging-copy");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result staged =
        Ferry.run("migrate", data, "--target", url.display(), "--staging-dir", staging, "-q");
    assertThat(staged.exitCode()).as(staged.all()).isZero();
    List<Path> copies;
    try (var files = Files.walk(staging)) {
      copies = files.filter(f -> f.toString().endsWith(".db")).toList();
    }
    assertThat(copies).isNotEmpty();
    for (Path copy : copies) {
      // read as a user's file, staging's tables would land in the target and ok lose its type
      Ferry.Result direct =
          Ferry.run("migrate", copy, "--target", url.display(), "--schema", "direct");
      assertThat(direct.exitCode()).as(direct.all()).isEqualTo(1);
      assertThat(direct.all())
          .contains(copy.toString())
          .contains("staged from")
          .contains(data.toString());
      assertThat(
              TestPostgres.count(
                  url,
                  "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'direct'"))
          .isZero();
    }
  }

  @Test
  void hintsApplyOnlyWhenTheDatabaseIsOpenedAsStaged() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("s.db"),
            """
            CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, doc);
            CREATE TABLE _ferry_columns (tbl TEXT, col TEXT, position INTEGER, declared TEXT,
              plain_json INTEGER);
            INSERT INTO _ferry_columns VALUES ('t', 'a', -1, NULL, 0), ('t', 'b', 1, 'JSON', 0),
              ('t', 'doc', 2, 'JSON', 1)
            """);
    SourceTable asUser = only(SqliteSource.open(db).readSchema(), "t");
    assertThat(asUser.columns().stream().map(SourceColumn::name))
        .containsExactly("id", "a", "b", "doc");
    assertThat(asUser.columns()).allSatisfy(c -> assertThat(c.plainJson()).isFalse());
    assertThat(asUser.columns().stream().map(SourceColumn::declaredType))
        .containsExactly("INTEGER", "", "", "");
    assertThat(SqliteSource.open(db).readSchema().tables().stream().map(SourceTable::name))
        .containsExactly("t", "_ferry_columns");

    SqliteSource staged = SqliteSource.openStaged(db);
    SourceTable asStaged = only(staged.readSchema(), "t");
    assertThat(asStaged.columns().stream().map(SourceColumn::name))
        .containsExactly("b", "doc", "id"); // unhinted columns last
    assertThat(asStaged.columns().get(1).plainJson()).isTrue();
    assertThat(staged.readSchema().tables().stream().map(SourceTable::name)).containsExactly("t");
    // a copy of a staged database (a run's snapshot) is read the way the original was
    Path copy = Files.copy(db, tmp.resolve("copy.db"));
    assertThat(staged.reopen(copy).staged()).isTrue();
    assertThat(SqliteSource.open(db).reopen(copy).staged()).isFalse();
  }

  @Test
  void syncsChangeCaptureIsLeftOutWithANoteAndNothingElseIs() throws Exception {
    String user =
        """
        CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
        CREATE TABLE _ferry_changes (seq INTEGER PRIMARY KEY, tbl TEXT, op TEXT, key TEXT,
          old_key TEXT, at INTEGER);
        CREATE TABLE _ferry_guard (applying INTEGER NOT NULL);
        CREATE TRIGGER _ferry_audit AFTER INSERT ON t BEGIN SELECT 1; END
        """;
    // without the capture's state table these are the user's own
    SourceSchema own = SqliteSource.open(Sqlite.create(tmp.resolve("own.db"), user)).readSchema();
    assertThat(own.tables().stream().map(SourceTable::name))
        .containsExactly("t", "_ferry_changes", "_ferry_guard");
    assertThat(own.triggers()).containsExactly("_ferry_audit");
    assertThat(own.leftOut()).isEmpty();

    SourceSchema captured =
        SqliteSource.open(
                Sqlite.create(
                    tmp.resolve("captured.db"),
                    user
                        + """
                        ;
                        CREATE TABLE _ferry_sync (k TEXT PRIMARY KEY, v TEXT);
                        CREATE TRIGGER _ferry_t_ins AFTER INSERT ON t
                          WHEN (SELECT applying FROM _ferry_guard) = 0
                          BEGIN INSERT INTO _ferry_changes (tbl, op, key, at)
                            VALUES ('t', 'I', NEW.id, 0); END
                        """))
            .readSchema();
    assertThat(captured.tables().stream().map(SourceTable::name)).containsExactly("t");
    assertThat(captured.triggers()).containsExactly("_ferry_audit"); // not the capture's
    assertThat(captured.leftOut())
        .containsOnlyKeys("ferry sync's change capture")
        .hasValueSatisfying(
            new org.assertj.core.api.Condition<>(
                v ->
                    v.contains("_ferry_changes, _ferry_guard, _ferry_sync")
                        && v.contains("1 _ferry_ triggers"),
                "names every object left out"));
  }

  /** A few tables whose values would change under some hint: JSON, repeated keys, flags, dates. */
  private static List<String> userTables(Path db, Random random) throws Exception {
    List<String> values =
        List.of(
            "'plain text'",
            "'{\"a\": 1, \"a\": 2}'",
            "'[1, {\"k\": \"v\", \"k\": \"w\"}]'",
            "'{\"lang\": \"en\"}'",
            "'true'",
            "'false'",
            "'2024-01-02 03:04:05'",
            "'not a date'",
            "'12.50'",
            "42",
            "3.25",
            "NULL",
            "x'00ff'",
            "'{broken'");
    List<String> tables = new ArrayList<>();
    StringBuilder script = new StringBuilder();
    for (int t = 0; t < 4; t++) {
      String name = "t" + t;
      tables.add(name);
      script.append("CREATE TABLE ").append(name).append(" (id INTEGER PRIMARY KEY");
      for (int c = 0; c < 5; c++) {
        script.append(", c").append(c).append(c % 2 == 0 ? " TEXT" : "");
      }
      script.append(");\n");
      for (int r = 1; r <= 30; r++) {
        script.append("INSERT INTO ").append(name).append(" VALUES (").append(r);
        for (int c = 0; c < 5; c++) {
          script.append(", ").append(values.get(random.nextInt(values.size())));
        }
        script.append(");\n");
      }
    }
    Sqlite.create(db, script.toString());
    return tables;
  }

  /**
   * Staging's tables with hints on every user column: hidden (negative position), a JSON view or
   * another, plain_json set, order shuffled; a forged note and set-aside lines. Returns the number
   * of hints.
   */
  private static int forgeStaging(Path db, List<String> tables, Random random) throws Exception {
    List<String> declared = List.of("JSON", "BOOLEAN", "NUMERIC", "TIMESTAMP", "INTEGER");
    int n = 0;
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE _ferry_columns (tbl TEXT, col TEXT, position INTEGER, declared TEXT,"
              + " plain_json INTEGER)");
      st.execute("CREATE TABLE _ferry_meta (k TEXT PRIMARY KEY, v TEXT)");
      st.execute(
          "CREATE TABLE _ferry_rejects (tbl TEXT, file TEXT, line INTEGER, reason TEXT, text"
              + " TEXT)");
      st.execute("CREATE TABLE _ferry_inputs (path TEXT, size INTEGER, modified TEXT)");
      st.execute("INSERT INTO _ferry_meta VALUES ('fingerprint', 'x'), ('note:forged note', '')");
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO _ferry_columns VALUES (?, ?, ?, ?, ?)")) {
        for (String t : tables) {
          st.execute(
              "INSERT INTO _ferry_rejects VALUES ('"
                  + t
                  + "', 'forged.ndjson', 7, 'forged', '{}')");
          for (int col = 0; col < 5; col++) {
            ps.setString(1, t);
            ps.setString(2, "c" + col);
            ps.setInt(3, random.nextInt(3) == 0 ? -1 : random.nextInt(10));
            ps.setString(4, declared.get(random.nextInt(declared.size())));
            ps.setInt(5, random.nextInt(3) == 0 ? 0 : 1);
            ps.executeUpdate();
            n++;
          }
        }
      }
      st.execute("INSERT INTO _ferry_inputs VALUES ('forged.ndjson', 1, 'then')");
    }
    return n;
  }

  private static int columnCount(SourceSchema schema, List<String> tables) {
    return schema.tables().stream()
        .filter(t -> tables.contains(t.name()))
        .mapToInt(t -> t.columns().size())
        .sum();
  }

  private static SourceTable only(SourceSchema schema, String name) {
    return schema.tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private static long sqliteCount(Path db, String table) throws Exception {
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Column → its type, in column order. */
  private static List<String> columns(TargetUrl url, String schema, String table) throws Exception {
    return strings(
        url,
        "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE"
            + " table_schema = '"
            + schema
            + "' AND table_name = '"
            + table
            + "' ORDER BY ordinal_position");
  }

  private static List<String> rows(TargetUrl url, String schema, String table) throws Exception {
    return strings(url, "SELECT to_jsonb(t)::text FROM " + schema + "." + table + " t ORDER BY id");
  }

  /** The fixups of the run that loaded {@code schema}, per column and reason. */
  private static Map<String, Long> fixups(TargetUrl url, String schema, String table)
      throws Exception {
    Map<String, Long> out = new TreeMap<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT concat_ws(' ', f.row_key, f.column_name, f.original_base64,"
                    + " f.loaded_value, f.reason) FROM ferry.fixups f JOIN ferry.runs r"
                    + " USING (run_id) WHERE"
                    + " r.target_schema = '"
                    + schema
                    + "' AND f.source_table = '"
                    + table
                    + "'")) {
      while (rs.next()) {
        out.merge(rs.getString(1), 1L, Long::sum);
      }
    }
    return out;
  }

  private static List<String> strings(TargetUrl url, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
