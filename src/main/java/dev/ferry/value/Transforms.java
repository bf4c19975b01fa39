package dev.ferry.value;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

/** STUB of h-conv's Transforms. */
public final class Transforms {
  private Transforms() {}

  public static Transform parse(String table, String column, Object spec) {
    if ("empty_as_null".equals(spec)) {
      return new Transform() {
        @Override
        public Object apply(Object value) {
          return "".equals(value) ? null : value;
        }

        @Override
        public String describe() {
          return "empty_as_null";
        }
      };
    }
    throw new FerryException(
        ErrorCode.USAGE, "transform of " + table + "." + column + ": unknown '" + spec + "'");
  }
}
