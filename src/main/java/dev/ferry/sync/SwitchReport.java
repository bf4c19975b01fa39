package dev.ferry.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** How cutover and fallback report a switch: the same JSON fields and the same phase line. */
final class SwitchReport {
  private SwitchReport() {}

  /** {@code {"freeze_ms", "verified", "switched", "phases_ms", "reason"?}} on one line. */
  static void json(
      PrintStream out,
      long freezeMs,
      boolean verified,
      boolean switched,
      Map<String, Long> phases,
      String reason) {
    json(out, freezeMs, verified, switched, phases, Map.of(), reason);
  }

  /**
   * As above, with {@code "verify": {...}}: cutover's incremental verification (times before the
   * freeze, rows compared, keys re-read in the freeze).
   */
  static void json(
      PrintStream out,
      long freezeMs,
      boolean verified,
      boolean switched,
      Map<String, Long> phases,
      Map<String, Long> verify,
      String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("freeze_ms", freezeMs);
    m.put("verified", verified);
    m.put("switched", switched);
    m.put("phases_ms", phases);
    if (!verify.isEmpty()) {
      m.put("verify", verify);
    }
    if (reason != null) {
      m.put("reason", reason);
    }
    try {
      out.println(new ObjectMapper().writeValueAsString(m));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "pass 8,100 ms, 200000 rows compared, …": cutover's verification before and in the freeze. */
  static String verify(Map<String, Long> verify) {
    StringBuilder b = new StringBuilder();
    verify.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : ", ")
                .append(k.endsWith("_ms") ? k.substring(0, k.length() - 3) : k)
                .append(' ')
                .append(v)
                .append(k.endsWith("_ms") ? " ms" : ""));
    return b.toString().replace('_', ' ');
  }

  /** "drain 12 ms, verify 790 ms, …" in the order the phases ran. */
  static String phases(Map<String, Long> phases) {
    StringBuilder b = new StringBuilder();
    phases.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v).append(" ms"));
    return b.toString();
  }
}
