package dev.ferry.run;

import java.util.Locale;

/**
 * The states of a run as ferry.runs.state stores them. {@link #RUNNING} is also what a killed run
 * leaves; a run in a {@link #resumable()} state is continued by a re-run of the same command.
 */
enum RunState {
  RUNNING,
  SUCCEEDED,
  SUCCEEDED_WITH_FIXES,
  VERIFICATION_FAILED,
  FAILED,
  ROLLED_BACK;

  /** The text in ferry.runs.state. */
  String stored() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Interrupted (killed while running) or failed: a re-run continues it under the same id. */
  boolean resumable() {
    return this == RUNNING || this == FAILED;
  }

  static RunState of(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
