package dev.ferry.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.SqliteErrors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Real SQLite failures, each of a kind, are classified so that what the user must fix (space,
 * permission, a damaged file) is exit 2 naming what was staged, and only Ferry's own mistakes are
 * internal errors.
 */
class StagingFailureTest {
  @TempDir Path tmp;

  @Test
  void aFullDiskIsTheUsersToFixAndNamesTheInput() throws Exception {
    SQLException full = failure(tmp.resolve("full.db"), "PRAGMA max_page_count = 2", true);
    assertThat(SqliteErrors.of(full)).isEqualTo(SqliteErrors.Kind.STORAGE);
    FerryException e = StagingFailure.of("tweets.ndjson", full);
    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
    assertThat(e.getMessage())
        .startsWith("tweets.ndjson: cannot stage it: ")
        .contains("--staging-dir");
  }

  @Test
  void aReadOnlyStagingDatabaseIsTheUsersToFix() throws Exception {
    Path db = tmp.resolve("ro.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (x)");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    SQLException e =
        catchThrowableOfType(
            SQLException.class,
            () -> {
              try (Connection c = config.createConnection("jdbc:sqlite:" + db);
                  Statement st = c.createStatement()) {
                st.execute("INSERT INTO t VALUES (1)");
              }
            });
    assertThat(SqliteErrors.of(e)).isEqualTo(SqliteErrors.Kind.STORAGE);
    assertThat(StagingFailure.of("a.json", e).code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
  }

  @Test
  void aFileThatIsNotADatabaseIsDamaged() throws Exception {
    Path db = tmp.resolve("garbage.db");
    Files.write(db, new byte[8192]);
    Files.write(
        db,
        "this is not a database, only text that is long enough".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.WRITE);
    SQLException e =
        catchThrowableOfType(
            SQLException.class,
            () -> {
              try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                  Statement st = c.createStatement()) {
                st.executeQuery("SELECT count(*) FROM sqlite_master").close();
              }
            });
    assertThat(SqliteErrors.of(e)).isEqualTo(SqliteErrors.Kind.DAMAGED);
    assertThat(StagingFailure.of("a.json", e).code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
  }

  @Test
  void ferrysOwnMistakesAreInternal() throws Exception {
    SQLException syntax = failure(tmp.resolve("s.db"), "SELEC 1", false);
    SQLException constraint =
        failure(
            tmp.resolve("c.db"),
            "CREATE TABLE u (k PRIMARY KEY); INSERT INTO u VALUES (1), (1)",
            false);
    for (SQLException e : new SQLException[] {syntax, constraint}) {
      assertThat(SqliteErrors.of(e)).as(e.getMessage()).isEqualTo(SqliteErrors.Kind.OTHER);
      FerryException f = StagingFailure.of("a.json", e);
      assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(f.getMessage()).startsWith("a.json: staging failed: ");
    }
    assertThat(SqliteErrors.of(new RuntimeException(syntax))).isEqualTo(SqliteErrors.Kind.OTHER);
  }

  @Test
  void everyPrimaryResultCodeHasAKindAndExtendedCodesFollowTheirPrimary() {
    assertThat(SqliteErrors.of(13)).isEqualTo(SqliteErrors.Kind.STORAGE); // FULL
    assertThat(SqliteErrors.of(10 | (3 << 8))).isEqualTo(SqliteErrors.Kind.STORAGE); // IOERR_WRITE
    assertThat(SqliteErrors.of(5 | (1 << 8))).isEqualTo(SqliteErrors.Kind.BUSY); // BUSY_RECOVERY
    assertThat(SqliteErrors.of(11 | (1 << 8))).isEqualTo(SqliteErrors.Kind.DAMAGED); // CORRUPT_VTAB
    assertThat(SqliteErrors.of(19 | (8 << 8)))
        .isEqualTo(SqliteErrors.Kind.OTHER); // CONSTRAINT_NOTNULL
    for (int code = 0; code < 256; code++) {
      assertThat(SqliteErrors.of(code)).isNotNull();
    }
  }

  /** Runs {@code setup} (statements split on ';'), then fills a table until SQLite refuses. */
  private static SQLException failure(Path db, String setup, boolean fill) {
    return catchThrowableOfType(
        SQLException.class,
        () -> {
          try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
              Statement st = c.createStatement()) {
            for (String s : List.of(setup.split(";", -1))) {
              if (!s.isBlank()) {
                st.execute(s.trim());
              }
            }
            if (fill) {
              st.execute("CREATE TABLE big (x)");
              for (int i = 0; i < 1000; i++) {
                st.execute("INSERT INTO big VALUES (randomblob(4000))");
              }
            }
          }
        });
  }
}
