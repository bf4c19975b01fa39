package dev.ferry.value;

/**
 * A source value that a target type cannot hold exactly (too long, out of range, more digits than
 * the scale keeps, not a date, ...). The message is the reason, written for the user: {@code "31
 * characters do not fit character varying(20)"}. What happens next is the bad-value policy's call.
 */
public final class ValueDoesNotFit extends Exception {
  private static final long serialVersionUID = 1L;

  public ValueDoesNotFit(String reason) {
    super(reason);
  }

  /** The reason, as given. */
  public String reason() {
    return getMessage();
  }
}
