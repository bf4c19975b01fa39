package dev.ferry.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a run did, as printed at the end and written by --report FILE.json.
 *
 * @param runId the run's id (also in ferry.runs)
 * @param source source file
 * @param target target, without password
 * @param schema target schema
 * @param dryRun nothing was written
 * @param seconds wall time of the whole run
 * @param phases wall seconds per phase (plan, load, keys, verify), in order
 * @param verification what was verified ("row counts")
 * @param tables per-table results
 * @param notes notes not tied to one table
 * @param exitCode the process exit code
 * @param message a one-line verdict for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
    String runId,
    String source,
    String target,
    String schema,
    boolean dryRun,
    double seconds,
    java.util.Map<String, Double> phases,
    String verification,
    List<TableResult> tables,
    List<String> notes,
    int exitCode,
    String message) {

  public long rowsRead() {
    return tables.stream().mapToLong(TableResult::rowsRead).sum();
  }

  public long rowsWritten() {
    return tables.stream().mapToLong(TableResult::rowsWritten).sum();
  }

  public long bytes() {
    return tables.stream().mapToLong(TableResult::bytes).sum();
  }
}
