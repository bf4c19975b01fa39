package dev.ferry.source.files;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.util.Arrays;

/**
 * Watches the tokens {@link RecordWriter} writes for one record and says whether the JSON text it
 * generated is <em>plain</em>: JSON that {@code value.JsonText.classify} would call a container or
 * scalar with nothing to repair, so the planner may take it as such without reading it again (the
 * {@code plain_json} mark of {@code _ferry_columns}). The generator writes well-formed JSON in
 * valid UTF-8 (staging refuses lone surrogates), so what remains to see is what classify rejects or
 * repairs in well-formed JSON: a repeated key in an object, a {@code \u0000} in a string or key,
 * and anything beyond the limits of the parser classify falls back to (Jackson's default read
 * constraints: nesting, number, string and name lengths), which staging's own parser allows
 * further. A record that shows any of them makes its table's JSON columns unmarked, and the planner
 * then checks every value as before.
 */
final class PlainJson {
  private static final StreamReadConstraints LIMITS = StreamReadConstraints.defaults();

  /** Each open object's names start here in {@link #names}. */
  private int[] objectStart = new int[16];

  /** A 128-bit filter per open object of the names' hashes, to skip most exact comparisons. */
  private long[] filter = new long[32];

  private String[] names = new String[64];
  private int[] hashes = new int[64];
  private int count;
  private int depth;
  private boolean plain = true;

  /** Starts a record. */
  void reset() {
    depth = 0;
    count = 0;
    plain = true;
  }

  /** True when everything seen since {@link #reset} was plain JSON. */
  boolean plain() {
    return plain;
  }

  /** Opens an object or array. */
  void open() {
    depth++;
    if (depth > LIMITS.getMaxNestingDepth()) {
      plain = false;
    }
    if (depth > objectStart.length) {
      objectStart = Arrays.copyOf(objectStart, depth * 2);
      filter = Arrays.copyOf(filter, depth * 4);
    }
    objectStart[depth - 1] = count; // an array holds no names: its list stays empty
    filter[2 * depth - 2] = 0;
    filter[2 * depth - 1] = 0;
  }

  /** Ends the innermost object or array. */
  void end() {
    if (depth > 0) {
      depth--;
      count = objectStart[depth];
    }
  }

  /**
   * A field name of the innermost object; {@code hasNul} when it holds U+0000 (the caller scans its
   * characters anyway).
   */
  void name(String name, boolean hasNul) {
    if (!plain) {
      return;
    }
    if (hasNul || name.length() > LIMITS.getMaxNameLength()) {
      plain = false;
      return;
    }
    int h = name.hashCode();
    int level = depth - 1;
    if (level < 0) {
      return; // a name outside an object cannot occur; nothing to compare it with
    }
    long bit = 1L << (h & 63);
    int word = 2 * level + ((h >>> 6) & 1);
    if ((filter[word] & bit) != 0) {
      for (int i = objectStart[level]; i < count; i++) {
        if (hashes[i] == h && names[i].equals(name)) {
          plain = false; // jsonb keeps only the last of a repeated key
          return;
        }
      }
    }
    filter[word] |= bit;
    if (count == names.length) {
      names = Arrays.copyOf(names, count * 2);
      hashes = Arrays.copyOf(hashes, count * 2);
    }
    names[count] = name;
    hashes[count++] = h;
  }

  /** A string value of {@code length} characters; {@code hasNul} when one is U+0000. */
  void string(int length, boolean hasNul) {
    if (hasNul || length > LIMITS.getMaxStringLength()) {
      plain = false;
    }
  }

  /** A number, as its literal. */
  void number(String literal) {
    if (literal.length() > LIMITS.getMaxNumberLength()
        || !dev.ferry.value.NumericRange.holds(literal)) {
      plain = false;
    }
  }

  /** Limits the default constraints may set on a whole document, which this does not count. */
  static boolean documentLimitsApply() {
    return LIMITS.getMaxDocumentLength() > 0 || LIMITS.getMaxTokenCount() > 0;
  }
}
