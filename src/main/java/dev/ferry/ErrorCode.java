package dev.ferry;

/**
 * The machine-readable outcome of a failure, and Ferry's one error model. Every {@link
 * FerryException} carries one; the CLI maps it to an exit code ({@link #exit()}, the table of
 * constants below) and the explorer to an HTTP status ({@link #httpStatus()}, the one switch). The
 * exit codes are a public contract (README, {@code ferry --help}, generated from {@link Exit}):
 * never renumber them.
 */
public enum ErrorCode {
  /** Bad command line or configuration: the user must change what they asked for. */
  USAGE(Exit.USAGE),
  /** The target already holds a table the run would create, and --if-exists is fail. */
  TARGET_CONFLICT(Exit.USAGE),
  /** The explorer was asked for a table, row or run that does not exist. */
  NOT_FOUND(Exit.USAGE),
  /** The explorer was called without the bearer token it requires. */
  UNAUTHORIZED(Exit.USAGE),
  /** A value given in a request does not fit the column or operator it is compared with. */
  BAD_VALUE(Exit.USAGE),
  /**
   * A write reached an explorer not started with {@code --write}, or asked for what writes never do
   * (a table without a primary key, a view): refused, nothing written.
   */
  WRITE_DISABLED(Exit.USAGE),
  /** Refused whoever asks: a cross-origin write, a cookie without its CSRF token, a denied role. */
  FORBIDDEN(Exit.USAGE),
  /**
   * The data's state refuses the request: more rows would change than a guard allows, the rows to
   * undo changed since, a constraint refused the change. Nothing was written.
   */
  CONFLICT(Exit.USAGE),
  /** The source file is missing, not SQLite, corrupt, locked or otherwise unreadable. */
  SOURCE_UNREADABLE(Exit.UNREADABLE),
  /** The target cannot be reached, refuses the login, or the embedded server cannot start. */
  TARGET_UNREACHABLE(Exit.UNREADABLE),
  /** A statement ran past its time limit (the explorer's --statement-timeout). */
  TIMEOUT(Exit.UNREADABLE),
  /**
   * Not thrown: the outcome of a run that finished with values repaired or rows set aside. It is
   * here so that every exit code a run can end with has one name in one table.
   */
  ROWS_SET_ASIDE(Exit.REPAIRED),
  /**
   * The target differs from the source (a run's or re-check's outcome, or a table gone from it).
   */
  VERIFICATION_FAILED(Exit.DIFFERS),
  /** The target rejected a table's DDL or data: the run stopped and is recorded as failed. */
  LOAD_FAILED(Exit.LOAD_FAILED),
  /** A bug in Ferry. */
  INTERNAL(Exit.INTERNAL);

  /**
   * The process exit codes, each with the meaning {@code --help} lists. Several error codes share
   * one exit code; a script tells them apart by the message, a machine by the HTTP API.
   */
  public enum Exit {
    SUCCESS(0, "success: every table loaded and verified"),
    USAGE(1, "usage or configuration error (also: target tables exist and --if-exists is fail)"),
    UNREADABLE(2, "source or target unreachable or unreadable"),
    REPAIRED(3, "finished with values repaired or rows set aside"),
    DIFFERS(4, "verification failed: the target differs from the source"),
    LOAD_FAILED(5, "load failed: PostgreSQL rejected a table's data"),
    INTERNAL(70, "internal error (a bug)");

    private final int code;
    private final String meaning;

    Exit(int code, String meaning) {
      this.code = code;
      this.meaning = meaning;
    }

    public int code() {
      return code;
    }

    /** What the exit code means, as --help lists it. */
    public String meaning() {
      return meaning;
    }
  }

  private final Exit exit;

  ErrorCode(Exit exit) {
    this.exit = exit;
  }

  public Exit exit() {
    return exit;
  }

  public int exitCode() {
    return exit.code();
  }

  /** The HTTP status the explorer answers with: the one table from error code to status. */
  public int httpStatus() {
    return switch (this) {
      case USAGE, BAD_VALUE -> 400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case WRITE_DISABLED -> 405;
      case TARGET_CONFLICT, VERIFICATION_FAILED, CONFLICT -> 409;
      case SOURCE_UNREADABLE -> 422;
      case TARGET_UNREACHABLE, TIMEOUT -> 503;
      case ROWS_SET_ASIDE -> 200; // not a failure: the request that reports it succeeded
      case LOAD_FAILED, INTERNAL -> 500;
    };
  }
}
