package dev.ferry.postgres;

import dev.ferry.ErrorCode;
import java.sql.SQLException;

/**
 * The one classification of PostgreSQL's SQL states (Appendix A of its manual) that every package
 * acts on: retry, exit code, HTTP status. Add a state here, never in a caller; map a failure to an
 * {@link ErrorCode} with {@link #errorCode}, never with a switch of one's own.
 */
public final class SqlStates {
  /** What a failed statement means for the caller. */
  public enum Kind {
    /** The connection, not the statement, failed: retrying on a new connection may succeed. */
    CONNECTION_LOST,
    /** The server refused the login or the role lacks a privilege. */
    ACCESS_DENIED,
    /** A value does not fit its type or operator (22xxx, 42804, 42883). */
    BAD_VALUE,
    /** A constraint refused the data (23xxx). */
    CONSTRAINT_VIOLATED,
    /** The statement ran past statement_timeout or was cancelled (57014). */
    CANCELLED,
    /** The object to create exists already (42P07, 42710, 42P06, 42723). */
    ALREADY_EXISTS,
    /** A named table, column, schema or function does not exist (42P01, 42703, 3F000, 42704). */
    UNDEFINED,
    /** A read-only transaction refused a write (25006). */
    READ_ONLY,
    /** Anything else: the statement itself was rejected. */
    REJECTED
  }

  private SqlStates() {}

  /** The kind of the first SQL state found in {@code e} or its causes. */
  public static Kind of(Throwable e) {
    String state = state(e);
    return state == null ? Kind.REJECTED : of(state);
  }

  /** The kind of one SQL state. */
  public static Kind of(String state) {
    if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")) {
      return Kind.CONNECTION_LOST;
    }
    if (state.equals("57P03")) { // the server is starting up or shutting down
      return Kind.CONNECTION_LOST;
    }
    if (state.startsWith("28") || state.equals("42501")) {
      return Kind.ACCESS_DENIED;
    }
    if (state.startsWith("22") || state.equals("42804") || state.equals("42883")) {
      return Kind.BAD_VALUE;
    }
    if (state.startsWith("23")) {
      return Kind.CONSTRAINT_VIOLATED;
    }
    return switch (state) {
      case "57014" -> Kind.CANCELLED;
      case "42P07", "42710", "42P06", "42723" -> Kind.ALREADY_EXISTS;
      case "42P01", "42703", "3F000", "42704" -> Kind.UNDEFINED;
      case "25006" -> Kind.READ_ONLY;
      default -> Kind.REJECTED;
    };
  }

  /**
   * The error code of a failed statement: the connection lost or the login refused (28xxx) is
   * TARGET_UNREACHABLE, a missing privilege (42501) FORBIDDEN, a statement timeout or cancel
   * TIMEOUT; anything the statement itself was refused for (a constraint, a trigger, a bad value, a
   * missing object, an exception without a SQL state) is {@code rejected}, which only the caller
   * knows the meaning of (a load failed, a conflict, a bug).
   */
  public static ErrorCode errorCode(Throwable e, ErrorCode rejected) {
    return switch (of(e)) {
      case CONNECTION_LOST -> ErrorCode.TARGET_UNREACHABLE;
      case ACCESS_DENIED ->
          "42501".equals(state(e)) ? ErrorCode.FORBIDDEN : ErrorCode.TARGET_UNREACHABLE;
      case CANCELLED -> ErrorCode.TIMEOUT;
      default -> rejected;
    };
  }

  /** The first SQL state found in {@code e} or its causes, or null. */
  private static String state(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** True when the connection, not the statement, failed. */
  public static boolean connectionLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && of(s.getSQLState()) == Kind.CONNECTION_LOST) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a DDL statement failed because what it creates is there already: {@link
   * Kind#ALREADY_EXISTS}, or 42P16 ("multiple primary keys for table … are not allowed"), which is
   * how ADD PRIMARY KEY says so. A resumed run counts such a step as done.
   */
  public static boolean alreadyCreated(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return of(s.getSQLState()) == Kind.ALREADY_EXISTS || s.getSQLState().equals("42P16");
      }
    }
    return false;
  }
}
