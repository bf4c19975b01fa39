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
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("freeze_ms", freezeMs);
    m.put("verified", verified);
    m.put("switched", switched);
    m.put("phases_ms", phases);
    if (reason != null) {
      m.put("reason", reason);
    }
    try {
      out.println(new ObjectMapper().writeValueAsString(m));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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
