package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.load.PostgresTarget;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ferry metadata schema is migrated by Flyway exactly when it is behind this build's scripts:
 * at every older version (none included) it is brought current, and once current no run starts
 * Flyway again; a history with a failed entry is never taken for current.
 */
class MetadataSchemaTest {
  @TempDir Path tmp;

  /** The oracle: the highest V<n> among the script files in the sources, numerically. */
  private static int newestInSources() throws Exception {
    Pattern p = Pattern.compile("V(\\d+)__.*\\.sql");
    int newest = 0;
    try (Stream<Path> files = Files.list(Paths.get("src/main/resources/db/ferry"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (m.matches()) {
          newest = Math.max(newest, Integer.parseInt(m.group(1)));
        }
      }
    }
    return newest;
  }

  private static void sql(TargetUrl url, String... statements) throws Exception {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  @Test
  void theNewestScriptIsTheHighestFileInTheSources() throws Exception {
    assertThat(MetadataSchema.newestScript(getClass().getClassLoader()))
        .isEqualTo(newestInSources())
        .isPositive();
  }

  @Test
  void scriptsInAJarAreReadFromItsDirectoryAndComparedAsNumbers() throws Exception {
    Path jar = tmp.resolve("app.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name :
          List.of(
              "db/",
              "db/ferry/",
              "db/ferryx/",
              "other/",
              "db/ferry/V1__a.sql",
              "db/ferry/V12__b.sql",
              "db/ferry/V3__c.sql",
              "db/ferry/V99_no_double_underscore.sql",
              "db/ferry/notes.txt",
              "db/ferryx/V98__elsewhere.sql",
              "other/V97__x.sql")) {
        out.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
          out.write("SELECT 1;".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        out.closeEntry();
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(MetadataSchema.newestScript(loader)).isEqualTo(12);
    }
  }

  @Test
  void scriptsThatCannotBeListedLeaveTheDecisionToFlyway() throws Exception {
    Path jar = tmp.resolve("no-directories.jar"); // no "db/ferry/" entry: nothing to list
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("db/ferry/V7__a.sql"));
      out.closeEntry();
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(MetadataSchema.newestScript(loader)).isZero();
    }
  }

  @Test
  void anEmptyDatabaseGetsEveryScriptThenFlywayIsNotStartedAgain() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
      assertThat(MetadataSchema.appliedVersion(target.dataSource())).isEqualTo(-1);
      assertThat(MetadataSchema.bringCurrent(target.dataSource()))
          .isEqualTo(MetadataSchema.Outcome.MIGRATED);
      assertThat(MetadataSchema.appliedVersion(target.dataSource())).isEqualTo(newestInSources());
      for (int i = 0; i < 3; i++) {
        assertThat(MetadataSchema.bringCurrent(target.dataSource()))
            .isEqualTo(MetadataSchema.Outcome.ALREADY_CURRENT);
      }
    }
    assertThat(
            TestPostgres.count(
                url,
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'ferry' AND tablename IN"
                    + " ('runs', 'table_results', 'fixups', 'rejects', 'objects', 'checkpoints')"))
        .isEqualTo(6);
  }

  @Test
  void aSchemaAtEveryOlderVersionIsBroughtCurrent() throws Exception {
    int newest = newestInSources();
    for (int version = 1; version < newest; version++) {
      TargetUrl url = TestPostgres.newDatabase();
      try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
        flywayUpTo(target, version);
        assertThat(MetadataSchema.appliedVersion(target.dataSource())).isEqualTo(version);
        assertThat(MetadataSchema.bringCurrent(target.dataSource()))
            .as("from version %d", version)
            .isEqualTo(MetadataSchema.Outcome.MIGRATED);
        assertThat(MetadataSchema.appliedVersion(target.dataSource())).isEqualTo(newest);
        assertThat(MetadataSchema.bringCurrent(target.dataSource()))
            .isEqualTo(MetadataSchema.Outcome.ALREADY_CURRENT);
      }
    }
  }

  @Test
  void aHistoryWithAFailedEntryIsHandedToFlywayWhichRefusesIt() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
      MetadataSchema.bringCurrent(target.dataSource());
      sql(
          url,
          "UPDATE ferry.schema_history SET success = false WHERE version = '"
              + newestInSources()
              + "'");
      assertThat(MetadataSchema.appliedVersion(target.dataSource())).isEqualTo(-1);
      assertThatThrownBy(() -> MetadataSchema.bringCurrent(target.dataSource()))
          .isInstanceOf(FlywayException.class)
          .hasMessageContaining("failed");
    }
  }

  @Test
  void aSchemaAheadOfThisBuildIsLeftAlone() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    int ahead = newestInSources() + 1;
    try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
      MetadataSchema.bringCurrent(target.dataSource());
      sql(
          url,
          "INSERT INTO ferry.schema_history (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success) VALUES ((SELECT max(installed_rank)"
              + " + 1 FROM ferry.schema_history), '"
              + ahead
              + "', 'from a newer ferry', 'SQL', 'V"
              + ahead
              + "__future.sql', 0, 'ferry', 1, true)");
      assertThat(MetadataSchema.bringCurrent(target.dataSource()))
          .isEqualTo(MetadataSchema.Outcome.ALREADY_CURRENT);
      assertThat(MetadataSchema.appliedVersion(target.dataSource())).isEqualTo(ahead);
    }
  }

  private static void flywayUpTo(PostgresTarget target, int version) {
    Flyway.configure(MetadataSchema.class.getClassLoader())
        .dataSource(target.dataSource())
        .schemas(RunStore.SCHEMA)
        .createSchemas(true)
        .table(MetadataSchema.HISTORY)
        .locations("classpath:" + MetadataSchema.LOCATION)
        .target(String.valueOf(version))
        .load()
        .migrate();
  }
}
