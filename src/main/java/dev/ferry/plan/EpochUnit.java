package dev.ferry.plan;

/** How integers stored in a date/time column are read: not at all, or as unix epoch units. */
public enum EpochUnit {
  NONE,
  SECONDS,
  MILLISECONDS
}
