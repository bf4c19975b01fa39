package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.util.List;
import java.util.UUID;

/**
 * How a run ends: its state in ferry.runs, its exit code and the one-line verdict, from what the
 * load, the post-load steps and verification found. The first that applies wins: a failure, a
 * mismatch or an object not created — a view, index or constraint the source has and the target
 * lacks (the target differs from the source: exit 4) — repairs, success.
 *
 * @param state the state recorded in ferry.runs
 * @param exitCode the process exit code
 * @param message the verdict for people
 */
record Outcome(RunState state, int exitCode, String message) {

  static Outcome of(
      FerryException failure,
      String failedTable,
      List<TableResult> results,
      boolean mismatch,
      List<String> notCreated,
      boolean repaired,
      UUID runId,
      String verifiedWhat) {
    if (failure != null) {
      return new Outcome(
          RunState.FAILED,
          failure.code().exitCode(),
          "FAILED: table "
              + failedTable
              + ": "
              + failure.getMessage()
              + "\nTables already loaded are listed above; run the same command again to resume (what"
              + " committed is kept), or add --if-exists drop to start over.");
    }
    String views =
        notCreated.isEmpty()
            ? ""
            : String.join(", ", notCreated)
                + (notCreated.size() == 1 ? " was" : " were")
                + " not created (the notes say why)";
    if (mismatch) {
      return new Outcome(
          RunState.VERIFICATION_FAILED,
          ErrorCode.VERIFICATION_FAILED.exitCode(),
          "VERIFICATION FAILED: the target's row counts differ from the source (see MISMATCH above)"
              + (views.isEmpty() ? "." : "; " + views + "."));
    }
    if (!views.isEmpty()) { // the target lacks objects the source has: it differs from it
      return new Outcome(
          RunState.VERIFICATION_FAILED,
          ErrorCode.VERIFICATION_FAILED.exitCode(),
          "VERIFICATION FAILED: "
              + views
              + "; every table loaded, "
              + verifiedWhat
              + (repaired ? " (with repairs kept in ferry.fixups / ferry.rejects)." : "."));
    }
    if (repaired) {
      return new Outcome(
          RunState.SUCCEEDED_WITH_FIXES,
          ErrorCode.ROWS_SET_ASIDE.exitCode(),
          String.format(
              "FINISHED WITH REPAIRS: %,d values repaired and %,d rows set aside, each kept verbatim"
                  + " in ferry.fixups / ferry.rejects (run %s); everything else "
                  + verifiedWhat
                  + ".",
              results.stream().mapToLong(TableResult::rowsFixed).sum(),
              results.stream().mapToLong(TableResult::rowsSetAside).sum(),
              runId));
    }
    return new Outcome(
        RunState.SUCCEEDED,
        0,
        String.format(
            "OK: %,d rows in %d tables, " + verifiedWhat + " on both sides.",
            results.stream().mapToLong(TableResult::rowsRead).sum(),
            results.size()));
  }

  /** A run that stopped outside any table (the schema, the record, a bug): failed, with why. */
  static Outcome failed(Stage stage, RuntimeException e) {
    ErrorCode code = e instanceof FerryException fe ? fe.code() : ErrorCode.INTERNAL;
    return new Outcome(
        RunState.FAILED,
        code.exitCode(),
        "FAILED during " + stage.phase() + ": " + String.valueOf(e.getMessage()));
  }
}
