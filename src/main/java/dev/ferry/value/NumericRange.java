package dev.ferry.value;

/**
 * Whether PostgreSQL's numeric (and so a number inside jsonb) holds a JSON number literal: at most
 * 16383 digits after the point and a first non-zero digit below 10^131072, counted after the
 * exponent moves the point. Beyond that the server refuses the value ("value overflows numeric
 * format"), so a document holding such a number is not one jsonb can store.
 */
public final class NumericRange {
  private NumericRange() {}

  /** The literal {@code in[start, end)}, a well-formed JSON number. */
  public static boolean holds(byte[] in, int start, int end) {
    int pos = start;
    if (pos < end && in[pos] == '-') {
      pos++;
    }
    boolean leadingZero = pos < end && in[pos] == '0';
    int integer = pos;
    while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
      pos++;
    }
    long integerDigits = (long) pos - integer;
    long fractionDigits = 0;
    long firstNonZero = -1; // in the fraction, when the integer part is 0
    if (pos < end && in[pos] == '.') {
      int fraction = ++pos;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        if (firstNonZero < 0 && in[pos] != '0') {
          firstNonZero = (long) pos - fraction;
        }
        pos++;
      }
      fractionDigits = (long) pos - fraction;
    }
    long exponent = 0;
    if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
      pos++;
      boolean negative = pos < end && in[pos] == '-';
      if (pos < end && (in[pos] == '-' || in[pos] == '+')) {
        pos++;
      }
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        exponent = Math.min(exponent * 10 + in[pos] - '0', 1L << 40); // past any limit below
        pos++;
      }
      exponent = negative ? -exponent : exponent;
    }
    boolean zero = leadingZero && firstNonZero < 0;
    long scale = Math.max(0, fractionDigits - exponent);
    long weight = (leadingZero ? -(firstNonZero + 1) : integerDigits - 1) + exponent;
    return fits(scale, weight, zero);
  }

  /**
   * numeric's limits themselves, for a number already read: its display {@code scale} (digits after
   * the point), the {@code weight} of its first non-zero digit (its power of ten), and whether it
   * is zero (which has no such digit).
   */
  public static boolean fits(long scale, long weight, boolean zero) {
    return scale <= 16383 && (zero || weight <= 131071);
  }

  /**
   * The same for a literal given as text (ASCII). Without an exponent, a literal no longer than
   * 16383 characters fits whatever its digits, so the common case reads nothing.
   */
  public static boolean holds(String literal) {
    if (literal.length() <= 16383 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
      return true;
    }
    byte[] b = literal.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return holds(b, 0, b.length);
  }
}
