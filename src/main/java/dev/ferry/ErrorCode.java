package dev.ferry;

/**
 * The machine-readable outcome of a failure. Every {@link FerryException} carries one; the CLI maps
 * it to an exit code and the explorer to an HTTP status. The exit codes are a public contract
 * (README, {@code ferry --help}, docs/ARCHITECTURE.md): never renumber them.
 */
public enum ErrorCode {
  /** Bad command line or configuration: the user must change what they asked for. */
  USAGE(1, 400),
  /** The target already holds a table the run would create, and --if-exists is fail. */
  TARGET_CONFLICT(1, 409),
  /** The source file is missing, not SQLite, corrupt, locked or otherwise unreadable. */
  SOURCE_UNREADABLE(2, 422),
  /** The target cannot be reached, refuses the login, or the embedded server cannot start. */
  TARGET_UNREACHABLE(2, 503),
  /** The run finished, but some values were repaired or rows set aside (recorded in ferry.*). */
  ROWS_SET_ASIDE(3, 200),
  /** The run loaded data but verification found the target differs from the source. */
  VERIFICATION_FAILED(4, 409),
  /** The target rejected a table's DDL or data: the run stopped and is recorded as failed. */
  LOAD_FAILED(5, 500),
  /** The explorer was asked for a table, row or run that does not exist. */
  NOT_FOUND(1, 404),
  /** The explorer was called without the bearer token it requires. */
  UNAUTHORIZED(1, 401),
  /** A value given for a column does not fit its type or operator (PostgreSQL refused it). */
  BAD_VALUE(1, 400),
  /** A statement ran past its time limit (the explorer's --statement-timeout). */
  TIMEOUT(2, 503),
  /** A bug in Ferry. */
  INTERNAL(70, 500);

  private final int exitCode;
  private final int httpStatus;

  ErrorCode(int exitCode, int httpStatus) {
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  public int exitCode() {
    return exitCode;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
