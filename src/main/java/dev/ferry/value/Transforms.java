package dev.ferry.value;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value repairs ferry.yaml's {@code transform:} names, per source column, applied before
 * conversion to the target type:
 *
 * <ul>
 *   <li>{@code empty_as_null}: {@code ''} and whitespace-only text become NULL;
 *   <li>{@code epoch_seconds} / {@code epoch_ms}: an INTEGER or REAL (or a text of one) counting
 *       from 1970-01-01 UTC becomes that instant; a REAL keeps its fraction exactly (the decimal
 *       SQLite shows), refused when it is finer than a microsecond;
 *   <li>{@code {date: "EEE, dd MMM yyyy HH:mm:ss Z"}} or {@code {date: [pattern, ...]}}: texts read
 *       with java.time patterns (English names), tried in order; {@code rfc1123} names RFC 822/1123
 *       dates as RSS feeds write them; ISO texts that match no pattern pass on unchanged;
 *   <li>a list of the above, applied in order ({@code [empty_as_null, epoch_seconds]}).
 * </ul>
 */
public final class Transforms {
  /** What {@link #parse} accepts, for the error message. */
  public static final String VALID =
      "empty_as_null, epoch_seconds, epoch_ms, {date: \"pattern\"} or {date: [patterns]},"
          + " or a list of these";

  private Transforms() {}

  /**
   * The transform a ferry.yaml spec names (a string, a one-key map, or a list of specs).
   *
   * @throws FerryException (USAGE) naming {@code table.column} and the valid specs otherwise
   */
  public static Transform parse(String table, String column, Object spec) {
    String where = table + "." + column;
    if (spec instanceof String name) {
      return switch (name.trim()) {
        case "empty_as_null" -> new EmptyAsNull();
        case "epoch_seconds" -> new Epoch(false);
        case "epoch_ms" -> new Epoch(true);
        default -> throw invalid(where, spec);
      };
    }
    if (spec instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("date")) {
      Object patterns = map.get("date");
      List<String> list = new ArrayList<>();
      if (patterns instanceof String p) {
        list.add(p);
      } else if (patterns instanceof List<?> l && !l.isEmpty()) {
        for (Object p : l) {
          if (!(p instanceof String s)) {
            throw invalid(where, spec);
          }
          list.add(s);
        }
      } else {
        throw invalid(where, spec);
      }
      return DatePatterns.of(where, list);
    }
    if (spec instanceof List<?> chain && !chain.isEmpty()) {
      List<Transform> steps = new ArrayList<>();
      for (Object s : chain) {
        steps.add(parse(table, column, s));
      }
      return new Chain(steps);
    }
    throw invalid(where, spec);
  }

  static FerryException invalid(String where, Object spec) {
    return new FerryException(
        ErrorCode.USAGE,
        "ferry.yaml: transform of " + where + " is " + describeSpec(spec) + "; valid: " + VALID);
  }

  private static String describeSpec(Object spec) {
    if (spec == null) {
      return "empty";
    }
    return spec instanceof String s ? '"' + s + '"' : String.valueOf(spec);
  }

  /** '' and whitespace-only text (or blob) become NULL. */
  private static final class EmptyAsNull implements Transform {
    @Override
    public Object apply(Object value) {
      if (value instanceof String s && s.isBlank()) {
        return null;
      }
      if (value instanceof byte[] b
          && new String(b, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
        return null;
      }
      return value;
    }

    @Override
    public String describe() {
      return "empty_as_null: '' and whitespace-only text become NULL";
    }
  }

  /** Several transforms, each applied to the previous one's output. */
  private record Chain(List<Transform> steps) implements Transform {
    @Override
    public Object apply(Object value) throws ValueDoesNotFit {
      Object v = value;
      for (Transform t : steps) {
        v = t.apply(v);
      }
      return v;
    }

    @Override
    public String describe() {
      return String.join(", then ", steps.stream().map(Transform::describe).toList());
    }
  }
}
