package dev.ferry.plan;

/**
 * How a one-pass migration samples a big table to choose its types before loading it: the first
 * {@code headRows} rowids and {@code ranges} runs of {@code rangeRows} rowids spread evenly up to
 * the last rowid. Tables spanning fewer than {@code fromRows} rowids are profiled in full (cheap,
 * and then nothing can make them load twice).
 *
 * @param fromRows smallest rowid span that is sampled
 * @param headRows rowids read from the start
 * @param ranges runs spread over the rest, the last one ending at the last rowid
 * @param rangeRows rowids per run
 */
public record Sampling(long fromRows, int headRows, int ranges, int rangeRows) {
  /** About 4,000 rows of tables of at least 50,000 rowids. */
  public static final Sampling DEFAULT = new Sampling(50_000, 1_000, 30, 100);

  /** No sampling: every table profiled in full before the load (--profile full). */
  public static final Sampling FULL = new Sampling(Long.MAX_VALUE, 0, 0, 0);

  /**
   * {@code full}, {@code sample}, or {@code sample:FROM,HEAD,RANGES,ROWS} (the record's fields, for
   * tests and tuning); null when the text is none of these.
   */
  public static Sampling parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("full")) {
      return FULL;
    }
    if (t.equals("sample")) {
      return DEFAULT;
    }
    if (t.startsWith("sample:")) {
      String[] n = t.substring("sample:".length()).split(",", -1);
      try {
        if (n.length == 4) {
          Sampling s =
              new Sampling(
                  Long.parseLong(n[0].trim()),
                  Integer.parseInt(n[1].trim()),
                  Integer.parseInt(n[2].trim()),
                  Integer.parseInt(n[3].trim()));
          if (s.fromRows >= 1 && s.headRows >= 1 && s.ranges >= 0 && s.rangeRows >= 1) {
            return s;
          }
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** True when no table is sampled. */
  public boolean full() {
    return fromRows == Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return full()
        ? "full"
        : equals(DEFAULT)
            ? "sample"
            : "sample:" + fromRows + "," + headRows + "," + ranges + "," + rangeRows;
  }
}
