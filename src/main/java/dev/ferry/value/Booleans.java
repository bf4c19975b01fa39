package dev.ferry.value;

/**
 * Boolean spellings accepted in boolean-declared columns: 0/1 stored as integers, and the texts
 * true/false, t/f, yes/no, y/n, on/off, 1/0 in any letter case.
 */
public final class Booleans {
  /** Result of {@link #parse} for a text that is not a boolean. */
  public static final int INVALID = -1;

  private Booleans() {}

  /** 1 for true, 0 for false, {@link #INVALID} otherwise. */
  public static int parse(byte[] b) {
    String s = new String(b, java.nio.charset.StandardCharsets.US_ASCII).trim();
    if (s.length() > 5) {
      return INVALID;
    }
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "t", "yes", "y", "on", "1" -> 1;
      case "false", "f", "no", "n", "off", "0" -> 0;
      default -> INVALID;
    };
  }
}
