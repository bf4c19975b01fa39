package dev.ferry.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.map.AppliedMapping;
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
 * @param mapping for a table ferry.yaml's map: loaded into the user's own table, what was done to
 *     its values on the way (columns, transforms, conversions, constants, dropped); else null
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
    List<String> notes,
    @JsonInclude(JsonInclude.Include.NON_NULL) AppliedMapping mapping) {

  /** A table of Ferry's own (no mapping). */
  public TableResult(
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
    this(
        source,
        target,
        rowsRead,
        rowsWritten,
        rowsInTarget,
        rowsFixed,
        rowsSetAside,
        bytes,
        seconds,
        verdict,
        notes,
        null);
  }

  public double rowsPerSecond() {
    return seconds > 0 ? rowsRead / seconds : 0;
  }
}
