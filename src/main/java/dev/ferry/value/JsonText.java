package dev.ferry.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Whether a text is JSON that PostgreSQL's jsonb holds without loss: well-formed, one value, no
 * duplicate keys (jsonb would keep only the last), no {@code \u0000} (jsonb rejects it), no number
 * beyond numeric's range ({@link NumericRange}).
 */
public final class JsonText {
  /** Not JSON jsonb can hold. */
  public static final int INVALID = 0;

  /** An object or array. */
  public static final int CONTAINER = 1;

  /** A string, number, true, false or null. */
  public static final int SCALAR = 2;

  /**
   * Added to CONTAINER or SCALAR: well-formed JSON that jsonb cannot hold exactly (a {@code
   * \u0000}, duplicate keys, invalid UTF-8 or a NUL byte in the text), repairable by {@link
   * Repairs#json}.
   */
  public static final int REPAIRABLE = 4;

  /**
   * Field names come back canonical (interned per factory), so duplicates are found by identity
   * over a short list per open object rather than Jackson's per-object HashSet.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .enable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  private static final int LINEAR_KEYS = 24;

  private JsonText() {}

  /**
   * {@link #CONTAINER}, {@link #SCALAR} or {@link #INVALID} for what jsonb holds exactly; for
   * well-formed JSON it cannot hold exactly, CONTAINER or SCALAR plus {@link #REPAIRABLE}.
   */
  public static int classify(byte[] b) {
    int first = firstNonSpace(b);
    if (first < 0 || !mayStartJson(b[first])) {
      return INVALID; // ordinary text: no parse, no repair attempt
    }
    int exact = classifyExact(b);
    if (exact != INVALID) {
      return exact;
    }
    byte[] repaired = Repairs.json(b);
    if (repaired == null) {
      return INVALID;
    }
    int kind = classifyExact(repaired);
    return kind == INVALID ? INVALID : kind | REPAIRABLE;
  }

  private static int classifyExact(byte[] b) {
    int fast = JsonScan.classify(b);
    return fast != JsonScan.UNSURE ? fast : classifyByParser(b);
  }

  /**
   * The reference classification, through Jackson's parser: what {@link JsonScan} must agree with
   * whenever it answers.
   */
  static int classifyByParser(byte[] b) {
    int first = firstNonSpace(b);
    if (first < 0) {
      return INVALID;
    }
    byte c = b[first];
    boolean container = c == '{' || c == '[';
    if (!container
        && c != '"'
        && c != '-'
        && c != 't'
        && c != 'f'
        && c != 'n'
        && (c < '0' || c > '9')) {
      return INVALID; // cheap rejection of ordinary text
    }
    boolean mayHaveNul = hasNulEscape(b);
    java.util.ArrayDeque<java.util.List<String>> keys = new java.util.ArrayDeque<>();
    try (JsonParser p = FACTORY.createParser(b)) {
      JsonToken t = p.nextToken();
      int depth = 0;
      do {
        if (t == null) {
          return INVALID;
        }
        if (t.isStructStart()) {
          depth++;
          if (t == JsonToken.START_OBJECT) {
            keys.push(new java.util.ArrayList<>());
          }
        } else if (t.isStructEnd()) {
          depth--;
          if (t == JsonToken.END_OBJECT) {
            keys.pop();
          }
        } else if (t == JsonToken.FIELD_NAME && isDuplicate(keys.peek(), p.currentName())) {
          return INVALID; // jsonb would keep only the last value
        } else if (t.isNumeric() && !NumericRange.holds(p.getText())) {
          return INVALID; // numeric refuses it, so jsonb does
        } else if (mayHaveNul
            && (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME)
            && p.getText().indexOf('\0') >= 0) {
          return INVALID;
        }
        if (depth > 0) {
          t = p.nextToken();
        }
      } while (depth > 0);
      if (mayHaveNul && !container && p.getText().indexOf('\0') >= 0) {
        return INVALID;
      }
      return p.nextToken() == null ? (container ? CONTAINER : SCALAR) : INVALID;
    } catch (IOException | RuntimeException e) {
      return INVALID;
    }
  }

  @SuppressWarnings("ReferenceEquality") // canonical field names: identity is equality
  private static boolean isDuplicate(java.util.List<String> seen, String name) {
    if (seen.size() < LINEAR_KEYS) {
      for (String s : seen) {
        if (s == name) { // canonical names: identity is equality
          return true;
        }
      }
    } else if (seen.contains(name)) {
      return true;
    }
    seen.add(name);
    return false;
  }

  private static boolean mayStartJson(byte c) {
    return c == '{'
        || c == '['
        || c == '"'
        || c == '-'
        || c == 't'
        || c == 'f'
        || c == 'n'
        || (c >= '0' && c <= '9');
  }

  private static int firstNonSpace(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r') {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code b} has a backslash followed by u0000: only then can a string hold NUL. */
  private static boolean hasNulEscape(byte[] b) {
    for (int i = 0; i + 5 < b.length; i++) {
      if (b[i] == '\\'
          && b[i + 1] == 'u'
          && b[i + 2] == '0'
          && b[i + 3] == '0'
          && b[i + 4] == '0'
          && b[i + 5] == '0') {
        return true;
      }
    }
    return false;
  }
}
