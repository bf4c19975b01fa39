package dev.ferry.verify;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.SqlStates;

/**
 * What a failure while verifying a table means, so the exit code says what to do: the target out of
 * reach is not a difference, and a difference is not a bug.
 *
 * <ul>
 *   <li>the source's own errors are already {@code SOURCE_UNREADABLE} naming the file: kept;
 *   <li>connection lost, login or privilege refused, the statement cancelled, a read-only server:
 *       the target cannot answer, {@code TARGET_UNREACHABLE} (exit 2);
 *   <li>a table, column or function that is not there, a value of another type: the target no
 *       longer holds what was loaded, {@code VERIFICATION_FAILED} (exit 4);
 *   <li>anything else PostgreSQL refused, or a Java exception: Ferry's own query or code is wrong,
 *       {@code INTERNAL} (exit 70), with the server's words.
 * </ul>
 */
final class VerifyFailure {
  private VerifyFailure() {}

  static FerryException of(String what, TablePlan table, Throwable e) {
    if (e instanceof FerryException fe) {
      return fe;
    }
    String why = firstLine(e.getMessage());
    if (!hasSqlState(e)) {
      return new FerryException(ErrorCode.INTERNAL, what + ": " + e, e);
    }
    return switch (SqlStates.of(e)) {
      case CONNECTION_LOST, ACCESS_DENIED, CANCELLED, READ_ONLY ->
          new FerryException(
              ErrorCode.TARGET_UNREACHABLE, what + ": the target cannot answer: " + why, e);
      case UNDEFINED, BAD_VALUE ->
          new FerryException(
              ErrorCode.VERIFICATION_FAILED,
              what + ": " + table.qualified() + " no longer holds what was loaded: " + why,
              e);
      default -> new FerryException(ErrorCode.INTERNAL, what + ": " + why, e);
    };
  }

  private static boolean hasSqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException s && s.getSQLState() != null) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
