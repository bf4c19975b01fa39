package dev.ferry.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.ErrorCode;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one classification of SQL states into error codes, as a table: what does not depend on the
 * caller (connection, login, privilege, timeout) is fixed; what a statement was refused for is the
 * caller's code, whichever that is; the state is found under wrapping exceptions, and an exception
 * without one counts as refused.
 */
class SqlStatesTest {
  private record Row(String state, ErrorCode expected) {}

  private static final ErrorCode CALLERS = ErrorCode.LOAD_FAILED;

  private static final List<Row> TABLE =
      List.of(
          new Row("08006", ErrorCode.TARGET_UNREACHABLE), // connection failure
          new Row("08001", ErrorCode.TARGET_UNREACHABLE),
          new Row("57P01", ErrorCode.TARGET_UNREACHABLE), // admin shutdown
          new Row("57P03", ErrorCode.TARGET_UNREACHABLE), // cannot connect now
          new Row("28P01", ErrorCode.TARGET_UNREACHABLE), // password authentication failed
          new Row("28000", ErrorCode.TARGET_UNREACHABLE), // no pg_hba entry
          new Row("42501", ErrorCode.FORBIDDEN), // permission denied
          new Row("57014", ErrorCode.TIMEOUT), // statement timeout or cancel
          new Row("23505", CALLERS), // unique violation
          new Row("23503", CALLERS), // foreign key violation
          new Row("22P02", CALLERS), // invalid text representation
          new Row("42P01", CALLERS), // undefined table
          new Row("42P07", CALLERS), // duplicate table
          new Row("25006", CALLERS), // read-only transaction
          new Row("P0001", CALLERS), // raise exception (a trigger)
          new Row("XX000", CALLERS)); // internal error

  @Test
  void everyStateMapsToItsCodeWhateverWrapsIt() {
    for (Row r : TABLE) {
      SQLException e = new SQLException("failed", r.state());
      assertEquals(r.expected(), SqlStates.errorCode(e, CALLERS), r.state());
      assertEquals(
          r.expected(),
          SqlStates.errorCode(new RuntimeException(new SQLException("wrapped", e)), CALLERS),
          r.state() + " under exceptions without a state");
    }
  }

  @Test
  void theCallersCodeIsUsedForWhatTheStatementWasRefusedForOnly() {
    for (ErrorCode callers : List.of(ErrorCode.CONFLICT, ErrorCode.INTERNAL)) {
      assertEquals(callers, SqlStates.errorCode(new SQLException("x", "23505"), callers));
      assertEquals(callers, SqlStates.errorCode(new SQLException("no state"), callers));
      assertEquals(callers, SqlStates.errorCode(new IllegalStateException("bug"), callers));
      assertEquals(
          ErrorCode.TARGET_UNREACHABLE,
          SqlStates.errorCode(new SQLException("x", "08006"), callers));
    }
  }
}
