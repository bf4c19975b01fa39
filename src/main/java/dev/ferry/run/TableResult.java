package dev.ferry.run;

import java.util.List;

/**
 * One table's line in the report.
 *
 * @param source source table
 * @param target target table (schema.table)
 * @param rowsRead rows read from the source
 * @param rowsWritten rows PostgreSQL stored (COPY's count)
 * @param rowsInTarget rows counted in the target after the run (verification), or -1
 * @param rowsFixed values loaded repaired (originals in ferry.fixups)
 * @param rowsSetAside rows kept out (originals in ferry.rejects)
 * @param bytes COPY bytes sent
 * @param seconds load time, constraints and indexes included
 * @param verdict VERIFIED, FIXED n, SET ASIDE n, MISMATCH, FAILED, or NOT LOADED
 * @param notes what could not be carried exactly
 */
public record TableResult(
    String source,
    String target,
    long rowsRead,
    long rowsWritten,
    long rowsInTarget,
    long rowsFixed,
    long rowsSetAside,
    long bytes,
    double seconds,
    String verdict,
    List<String> notes) {

  public double rowsPerSecond() {
    return seconds > 0 ? rowsRead / seconds : 0;
  }
}
