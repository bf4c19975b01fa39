package dev.ferry.plan;

/**
 * Something the run could not carry over exactly, said plainly: a constraint, index, view or
 * default that did not translate, a name that had to change. Notes are shown in the plan and the
 * report and stored with the run.
 *
 * @param object what it is about ("table tweets, CHECK (…)", "view v_recent")
 * @param message what happened and what it means for the user
 * @param missing the object the source has is not in the target at all (not created, not merely
 *     weakened, renamed, or left out because the user asked): a run with such a note does not end
 *     with "OK"
 */
public record Note(String object, String message, boolean missing) {
  /** A note about something carried over differently, or left out on the user's request. */
  public Note(String object, String message) {
    this(object, message, false);
  }

  /** The source's {@code object} is not in the target, because {@code why}. */
  public static Note notCreated(String object, String why) {
    return new Note(object, "not created: " + why, true);
  }

  /**
   * The source declares {@code object} (a UNIQUE, CHECK or FOREIGN KEY) more than once on a table:
   * the target has it once, whatever its names were.
   */
  public static Note declaredTwice(String object) {
    return new Note(object, "the source declares it more than once: made once");
  }

  @Override
  public String toString() {
    return object + ": " + message;
  }
}
