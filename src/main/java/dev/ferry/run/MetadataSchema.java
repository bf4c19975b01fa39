package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the {@code ferry} metadata schema to the version this build ships (the {@code
 * db/ferry/V<n>__*.sql} scripts), with Flyway, but starts Flyway only when the schema is behind: a
 * schema whose history already holds the newest script, with no failed entry, is checked with two
 * small queries instead (starting Flyway costs a few hundred milliseconds of class loading and
 * classpath scanning on every run). A schema ahead of this build (written by a newer Ferry) is left
 * alone, as Flyway itself would.
 */
public final class MetadataSchema {
  static final String LOCATION = "db/ferry";
  static final String HISTORY = "schema_history";
  private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__[^/]*\\.sql");

  /** What {@link #bringCurrent} did. */
  enum Outcome {
    /** The history already held the newest script: Flyway was not started. */
    ALREADY_CURRENT,
    /** Flyway ran (and applied whatever was missing). */
    MIGRATED
  }

  private MetadataSchema() {}

  /**
   * Creates or updates the schema when it is behind, for those who write to it outside a run (the
   * explorer's write mode and {@code ferry maintain} record into ferry.audit); a failure is
   * TARGET_UNREACHABLE naming it. {@code dataSource} must allow writes.
   */
  public static void ensureCurrent(DataSource dataSource) {
    try {
      bringCurrent(dataSource);
    } catch (RuntimeException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot create or update the ferry metadata schema: " + e.getMessage(),
          e);
    }
  }

  /** Creates or updates the schema when it is behind; Flyway's exceptions pass through. */
  static Outcome bringCurrent(DataSource dataSource) {
    int newest = newestScript(MetadataSchema.class.getClassLoader());
    if (newest > 0 && appliedVersion(dataSource) >= newest) {
      return Outcome.ALREADY_CURRENT;
    }
    Warmup.awaitFlyway(); // its classes are being loaded ahead: never by two threads at once
    flyway().dataSource(dataSource).load().migrate();
    return Outcome.MIGRATED;
  }

  /** Flyway's configuration of the schema (the warm-up loads it without a data source). */
  static org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
    return Flyway.configure(MetadataSchema.class.getClassLoader())
        .schemas(RunStore.SCHEMA)
        .createSchemas(true)
        .table(HISTORY)
        .locations("classpath:" + LOCATION);
  }

  /**
   * The newest version the schema's history records as applied, or -1 when there is no history,
   * when any entry failed, or when it cannot be read (Flyway then decides, and reports).
   */
  static int appliedVersion(DataSource dataSource) {
    String history = SqlText.qualified(RunStore.SCHEMA, HISTORY);
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      try (ResultSet has =
          st.executeQuery("SELECT to_regclass(" + SqlText.literal(history) + ") IS NOT NULL")) {
        if (!has.next() || !has.getBoolean(1)) {
          return -1;
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT bool_and(success), max(CASE WHEN version ~ '^[0-9]+$' THEN version::int END)"
                  + " FROM "
                  + history)) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return -1;
        }
        int v = rs.getInt(2);
        return rs.wasNull() ? -1 : v;
      }
    } catch (SQLException e) {
      return -1;
    }
  }

  /**
   * The highest {@code n} of the {@code V<n>__*.sql} scripts that {@code loader} sees, in
   * directories or jars (read from the jar's directory, not by scanning the classpath); 0 when it
   * finds none (a jar without directory entries, say): then Flyway decides, as before.
   */
  static int newestScript(ClassLoader loader) {
    try {
      int newest = 0;
      Enumeration<URL> dirs = loader.getResources(LOCATION);
      while (dirs.hasMoreElements()) {
        newest = Math.max(newest, newestIn(dirs.nextElement()));
      }
      return newest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int newestIn(URL dir) throws IOException {
    int newest = 0;
    if ("file".equals(dir.getProtocol())) {
      try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
        for (Path f : (Iterable<Path>) files::iterator) {
          newest = Math.max(newest, version(f.getFileName().toString()));
        }
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
      return newest;
    }
    URLConnection connection = dir.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      throw new IOException("cannot list " + dir);
    }
    jar.setUseCaches(true); // the application's own jar: already open
    JarFile file = jar.getJarFile();
    String prefix = LOCATION + "/";
    for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
      String name = e.nextElement().getName();
      if (name.startsWith(prefix)) {
        newest = Math.max(newest, version(name.substring(prefix.length())));
      }
    }
    return newest;
  }

  private static int version(String fileName) {
    Matcher m = SCRIPT.matcher(fileName);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }
}
