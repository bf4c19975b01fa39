package dev.ferry.plan;

/**
 * Something the run could not carry over exactly, said plainly: a constraint, index, view or
 * default that did not translate, a name that had to change. Notes are shown in the plan and the
 * report and stored with the run.
 *
 * @param object what it is about ("table tweets, CHECK (…)", "view v_recent")
 * @param message what happened and what it means for the user
 */
public record Note(String object, String message) {
  @Override
  public String toString() {
    return object + ": " + message;
  }
}
