package dev.ferry;

/**
 * The one exception type Ferry throws for anything a user can see: a code for machines, a message
 * for people. Messages name the file, table, row or line involved and never contain a password.
 */
public final class FerryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public FerryException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FerryException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
