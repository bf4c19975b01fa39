package dev.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.FerryException;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SqliteSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync's change capture touches only the objects it installed: an application may have its own
 * {@code _ferry_…} tables, triggers, indexes and views, and they are followed (capture triggers on
 * them, their schema in the fingerprint), migrated, and kept by {@code ferry sync stop}. The oracle
 * is the file's own schema before the capture was installed. The capture is the real one ({@link
 * Capture#install}, and the refusal triggers of a cutover), on a real SQLite file.
 */
class CaptureOwnObjectsTest {
  /** The application's schema, with its own {@code _ferry_…} objects of every kind. */
  static final String APP =
      """
      CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT UNIQUE, v TEXT);
      CREATE TABLE _ferry_audit (id INTEGER PRIMARY KEY, what TEXT, at INTEGER);
      CREATE INDEX _ferry_audit_what ON _ferry_audit(what);
      CREATE VIEW _ferry_recent AS SELECT what FROM _ferry_audit ORDER BY id DESC LIMIT 10;
      CREATE TRIGGER _ferry_log AFTER INSERT ON t
        BEGIN INSERT INTO _ferry_audit (what, at) VALUES ('insert ' || NEW.id, 0); END;
      CREATE TRIGGER _ferry_audit_stamp AFTER UPDATE ON _ferry_audit
        BEGIN SELECT 1; END;
      INSERT INTO t VALUES (1, 'one', 'a'), (2, 'two', NULL)
      """;

  @TempDir Path tmp;

  @Test
  void stopRemovesEveryCaptureObjectAndNothingOfTheApplications() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("app.db"), APP);
    String before = SyncHarness.schema(db);
    try (Connection c = Capture.open(db, 5_000)) {
      install(c, db);
      refuseAsACutoverDoes(c, db);
      // the capture follows the application's _ferry_ table like any other
      assertThat(triggersOn(c, "_ferry_audit")).contains("_ferry__ferry_audit_ins");
      assertThat(triggersOn(c, "t"))
          .contains("_ferry_log", "_ferry_t_rins", "_ferry_t_refuse_delete");
      Capture.remove(c);
    }
    assertThat(SyncHarness.schema(db)).isEqualTo(before);
  }

  @Test
  void aTableRenamedWhileFollowedKeepsNoTriggerReadingTheRemovedGuard() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("renamed.db"), APP);
    try (Connection c = Capture.open(db, 5_000);
        Statement st = c.createStatement()) {
      install(c, db);
      st.execute("ALTER TABLE t RENAME TO t2"); // the follower stops; the user runs sync stop
      Capture.remove(c);
      assertThat(query(c, "SELECT name FROM sqlite_master WHERE sql LIKE '%_ferry_guard%'"))
          .isEmpty();
      assertThat(triggersOn(c, "t2")).containsExactly("_ferry_log");
      st.execute("INSERT INTO t2 (label) VALUES ('the application still writes')");
    }
  }

  @Test
  void withoutACaptureStopTouchesNothingEvenTablesNamedLikeItsOwn() throws Exception {
    Path db =
        SyncHarness.create(
            tmp.resolve("own.db"),
            APP
                + """
                ;
                CREATE TABLE _ferry_changes (seq INTEGER PRIMARY KEY, note TEXT);
                CREATE TABLE _ferry_guard (applying INTEGER NOT NULL);
                CREATE TRIGGER _ferry_t_ins AFTER INSERT ON t
                  WHEN (SELECT applying FROM _ferry_guard) = 0 BEGIN SELECT 1; END
                """);
    String before = SyncHarness.schema(db);
    try (Connection c = Capture.open(db, 5_000)) {
      Capture.remove(c);
    }
    assertThat(SyncHarness.schema(db)).isEqualTo(before);
  }

  @Test
  void installRefusesToTakeOverAnObjectOfTheApplicationsThatHoldsANameTheCaptureNeeds()
      throws Exception {
    List<String> squatters =
        List.of(
            "CREATE TABLE _ferry_changes (seq INTEGER PRIMARY KEY, note TEXT)",
            "CREATE TABLE _FERRY_GUARD (applying INTEGER NOT NULL)",
            "CREATE VIEW _ferry_sync AS SELECT 1 AS k, 2 AS v",
            "CREATE TRIGGER _ferry_t_ins AFTER INSERT ON t BEGIN SELECT 1; END",
            "CREATE TRIGGER _ferry__ferry_audit_refuse_delete BEFORE DELETE ON _ferry_audit"
                + " BEGIN SELECT 1; END");
    for (String squatter : squatters) {
      Path db = SyncHarness.create(tmp.resolve("taken" + squatters.indexOf(squatter)), APP);
      try (Connection c = Capture.open(db, 5_000);
          Statement st = c.createStatement()) {
        st.execute(squatter);
        String before = SyncHarness.schema(db);
        String name = squatter.split(" ", -1)[2];
        assertThatThrownBy(() -> install(c, db))
            .as(squatter)
            .isInstanceOf(FerryException.class)
            .hasMessageContaining(db.toString())
            .hasMessageContaining(name)
            .hasMessageContaining("rename");
        assertThat(SyncHarness.schema(db)).as(squatter).isEqualTo(before);
      }
    }
  }

  @Test
  void aSchemaChangeToTheApplicationsFerryTableIsSeenLikeAnyTables() throws Exception {
    List<String> changes =
        List.of(
            "ALTER TABLE %s ADD COLUMN extra TEXT",
            "CREATE INDEX %s_extra_idx ON %s(id DESC)",
            "CREATE TRIGGER %s_more AFTER DELETE ON %s BEGIN SELECT 1; END",
            "DROP TABLE %s");
    for (String table : List.of("t", "_ferry_audit")) {
      for (String change : changes) {
        Path db = SyncHarness.create(tmp.resolve("fp-" + table + changes.indexOf(change)), APP);
        try (Connection c = Capture.open(db, 5_000);
            Statement st = c.createStatement()) {
          install(c, db);
          String installed = Capture.get(c, "fingerprint");
          assertThat(Capture.fingerprint(c)).isEqualTo(installed);
          // the capture's own doings are not the application's schema
          st.execute("INSERT INTO t (label) VALUES ('written')");
          Capture.put(c, "state", "following");
          refuseAsACutoverDoes(c, db);
          assertThat(Capture.fingerprint(c)).as("capture's own objects").isEqualTo(installed);

          String ddl = change.replace("%s", table);
          st.execute(ddl);
          assertThat(Capture.fingerprint(c)).as(ddl).isNotEqualTo(installed);
        }
      }
    }
  }

  @Test
  void aMigrationLeavesOutExactlyTheRealCaptureAndKeepsTheApplicationsFerryObjects()
      throws Exception {
    Path db = SyncHarness.create(tmp.resolve("app.db"), APP);
    SourceSchema plain = SqliteSource.open(db).readSchema();
    assertThat(plain.leftOut()).isEmpty();
    int captureTriggers;
    try (Connection c = Capture.open(db, 5_000)) {
      int userTriggers = allTriggers(c).size();
      install(c, db);
      refuseAsACutoverDoes(c, db);
      captureTriggers = allTriggers(c).size() - userTriggers;
    }
    assertThat(captureTriggers).isGreaterThan(6); // t and _ferry_audit, logging and refusing

    SourceSchema captured = SqliteSource.open(db).readSchema();

    assertThat(names(captured)).isEqualTo(names(plain)).contains("_ferry_audit");
    assertThat(captured.triggers())
        .isEqualTo(plain.triggers())
        .containsExactlyInAnyOrder("_ferry_log", "_ferry_audit_stamp");
    assertThat(captured.views()).isEqualTo(plain.views());
    assertThat(captured.tables()).isEqualTo(plain.tables());
    assertThat(captured.leftOut())
        .containsOnlyKeys("ferry sync's change capture")
        .containsValue(
            "not migrated: tables _ferry_changes, _ferry_guard, _ferry_sync and "
                + captureTriggers
                + " _ferry_ triggers are Ferry's own (installed by ferry sync start, removed by"
                + " ferry sync stop)");
  }

  /** Installs the real capture on every table with a key, as {@code ferry sync start} does. */
  private static void install(Connection c, Path db) throws SQLException {
    Capture.install(c, keyed(db));
  }

  private static void refuseAsACutoverDoes(Connection c, Path db) throws SQLException {
    try (Statement st = c.createStatement()) {
      Capture.refuse(st, keyed(db), "TABLE is read-only");
    }
  }

  private static List<SourceTable> keyed(Path db) {
    return SqliteSource.open(db).readSchema().tables().stream()
        .filter(t -> !t.primaryKey().isEmpty())
        .toList();
  }

  private static List<String> names(SourceSchema s) {
    return s.tables().stream().map(SourceTable::name).toList();
  }

  private static List<String> triggersOn(Connection c, String table) throws SQLException {
    return query(
        c, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '" + table + "'");
  }

  private static List<String> allTriggers(Connection c) throws SQLException {
    return query(c, "SELECT name FROM sqlite_master WHERE type = 'trigger'");
  }

  private static List<String> query(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
