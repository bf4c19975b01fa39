package dev.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one pool builder: sessions are named, read-only and time-limited as asked; a refused login is
 * TARGET_UNREACHABLE whose message, causes and stack trace never hold the password, whatever
 * characters it has, and neither does the output of the commands that open such a pool.
 */
class PoolTest {
  @Test
  void sessionsOpenAsAsked() throws SQLException {
    TargetUrl url = TestPostgres.newDatabase();
    try (HikariDataSource db =
            Pool.on(url, "pool-test").size(1, 0).readOnly().statementTimeout(1_234).open();
        Connection c = db.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('application_name'),"
                    + " current_setting('default_transaction_read_only'),"
                    + " current_setting('statement_timeout')")) {
      rs.next();
      assertEquals("ferry pool-test", rs.getString(1));
      assertEquals("on", rs.getString(2));
      assertEquals("1234ms", rs.getString(3));
    }
  }

  @Test
  void aWrongPasswordIsNeverShown() {
    TestPostgres.newDatabase(); // the server runs
    for (String password :
        List.of("Wrong-Pa55word", "p@ss:w/rd?x=1&y", "läng ünïcödé pässwörd", "'; DROP--")) {
      String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
      String text =
          "postgresql://"
              + TestPostgres.PASSWORD_USER
              + ":"
              + encoded
              + "@127.0.0.1:"
              + TestPostgres.port()
              + "/postgres";
      TargetUrl url = TargetUrl.parse(text);
      FerryException e =
          assertThrows(FerryException.class, () -> Pool.on(url, "t").size(1, 0).open().close());
      assertEquals(ErrorCode.TARGET_UNREACHABLE, e.code(), password);
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
      assertFalse(trace.toString().contains(password), password + " in: " + trace);
      assertFalse(trace.toString().contains(encoded), encoded + " in: " + trace);

      for (String command : List.of("maintain", "serve")) {
        Ferry.Result r = Ferry.run(command, "--target", text);
        assertEquals(2, r.exitCode(), command + ": " + r.all());
        assertFalse(r.all().contains(password), command + ": " + r.all());
        assertFalse(r.all().contains(encoded), command + ": " + r.all());
      }
    }
  }
}
