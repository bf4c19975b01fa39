package dev.ferry.plan;

/**
 * What a column actually stores, by SQLite storage class, as the profiling pass counted it.
 *
 * @param nulls NULLs
 * @param integers INTEGER values
 * @param reals REAL values
 * @param texts TEXT values
 * @param blobs BLOB values
 * @param repairs values PostgreSQL cannot hold as stored (repaired or set aside on load)
 * @param exampleText the first text value (cut to 40 characters), or null
 */
public record StoredValues(
    long nulls,
    long integers,
    long reals,
    long texts,
    long blobs,
    long repairs,
    String exampleText) {

  /** "499 integer, 1 text", as SQLite's typeof() names the classes. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    append(s, integers, "integer");
    append(s, reals, "real");
    append(s, texts, "text");
    append(s, blobs, "blob");
    append(s, nulls, "null");
    return s.length() == 0 ? "no rows" : s.toString();
  }

  /** Storage classes other than NULL that hold values. */
  public int classes() {
    return (integers > 0 ? 1 : 0) + (reals > 0 ? 1 : 0) + (texts > 0 ? 1 : 0) + (blobs > 0 ? 1 : 0);
  }

  private static void append(StringBuilder s, long n, String what) {
    if (n > 0) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(String.format(java.util.Locale.ROOT, "%,d %s", n, what));
    }
  }
}
