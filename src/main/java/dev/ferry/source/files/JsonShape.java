package dev.ferry.source.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a .json file holds, judged from its first entries: an array of records, an object keyed by
 * id (many keys, values objects of the same shape, or keys that look like ids), an object wrapping
 * arrays of records ({"items": [...]}), or one record. An object whose keys look like ids and whose
 * values are plain (strings, numbers, booleans, null: seed 000's {tweet id: processed at}) is keyed
 * too, a map of plain values: one row of (key, value) per entry; an array of plain values (a list
 * of ids) is rows of (ordinal, value) the same way.
 */
enum JsonShape {
  ARRAY,
  KEYED,
  WRAPPER,
  RECORD;

  static final int SAMPLE = 50;
  private static final Pattern ID =
      Pattern.compile(
          "-?[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
              + "|[0-9]{4}-[0-9]{2}-[0-9]{2}.*");

  /**
   * The shape and, for a wrapper, the fields whose values are arrays of objects.
   *
   * @param plain every sampled value is plain (no object or array): a keyed map of plain values
   */
  record Judged(JsonShape shape, Set<String> arrayFields, boolean plain) {
    Judged(JsonShape shape, Set<String> arrayFields) {
      this(shape, arrayFields, false);
    }
  }

  static Judged judge(JsonFactory factory, Path file) throws IOException {
    try (JsonParser p = factory.createParser(file.toFile())) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) {
        return new Judged(ARRAY, Set.of(), plainElements(p));
      }
      if (first != JsonToken.START_OBJECT) {
        return new Judged(RECORD, Set.of());
      }
      List<Set<String>> shapes = new ArrayList<>();
      Set<String> arrays = new LinkedHashSet<>();
      boolean allObjects = true;
      boolean allPlain = true;
      boolean idKeys = true;
      int entries = 0;
      while (entries < SAMPLE && p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        entries++;
        idKeys &= ID.matcher(key).matches();
        JsonToken v = p.nextToken();
        allPlain &= v.isScalarValue();
        if (v == JsonToken.START_OBJECT) {
          Set<String> keys = new HashSet<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            keys.add(p.currentName());
            p.nextToken();
            p.skipChildren();
          }
          shapes.add(keys);
        } else {
          allObjects = false;
          if (v == JsonToken.START_ARRAY) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
              arrays.add(key);
            }
            if (p.currentToken() != JsonToken.END_ARRAY) {
              p.skipChildren();
              skipRest(p);
            }
          }
        }
      }
      if (entries > 0 && allObjects && (idKeys || (entries >= 2 && similar(shapes)))) {
        return new Judged(KEYED, Set.of());
      }
      if (entries > 0 && allPlain) {
        return new Judged(idKeys ? KEYED : RECORD, Set.of(), true);
      }
      if (!arrays.isEmpty()) {
        return new Judged(WRAPPER, arrays);
      }
      return new Judged(RECORD, Set.of());
    }
  }

  /**
   * True when the array's first elements are all plain values (seed 000's list of tweet ids): like
   * a keyed map of plain values, its rows are (ordinal, value). An empty array is not.
   */
  private static boolean plainElements(JsonParser p) throws IOException {
    int entries = 0;
    for (JsonToken v = p.nextToken(); v != null && v != JsonToken.END_ARRAY; v = p.nextToken()) {
      if (!v.isScalarValue()) {
        return false;
      }
      if (++entries == SAMPLE) {
        break;
      }
    }
    return entries > 0;
  }

  /** Skips to the END_ARRAY of the array the parser is inside. */
  private static void skipRest(JsonParser p) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
  }

  /** Values of the same shape: on average they share at least half their keys with the first. */
  private static boolean similar(List<Set<String>> shapes) {
    Set<String> first = shapes.get(0);
    double sum = 0;
    for (Set<String> s : shapes.subList(1, shapes.size())) {
      Set<String> union = new HashSet<>(first);
      union.addAll(s);
      Set<String> both = new HashSet<>(first);
      both.retainAll(s);
      sum += union.isEmpty() ? 1 : (double) both.size() / union.size();
    }
    return sum / (shapes.size() - 1) >= 0.5;
  }
}
