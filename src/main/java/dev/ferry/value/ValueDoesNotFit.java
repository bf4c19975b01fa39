package dev.ferry.value;

/** STUB of h-conv's ValueDoesNotFit. */
public final class ValueDoesNotFit extends Exception {
  private static final long serialVersionUID = 1L;

  public ValueDoesNotFit(String reason) {
    super(reason);
  }
}
