package dev.ferry.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Real SQLite files made by tests. */
public final class Sqlite {
  private Sqlite() {}

  /** Creates {@code file} and runs {@code script} (statements separated by ';' at line ends). */
  public static Path create(Path file, String script) {
    try {
      Files.deleteIfExists(file);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        st.executeUpdate("PRAGMA journal_mode = DELETE");
        c.setAutoCommit(false);
        for (String sql : script.split(";\\s*\\n", -1)) {
          if (!sql.isBlank()) {
            st.execute(sql);
          }
        }
        c.commit();
      }
      return file;
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  public static Connection open(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }
}
