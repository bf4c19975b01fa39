package dev.ferry.value;

import java.util.Arrays;

/**
 * The fast path of {@link JsonText#classify}: one pass over the bytes, no parser, no strings. It
 * answers only when it is sure that Jackson's parser (the reference, {@code
 * JsonText.classifyByParser}) would answer the same: plain RFC 8259 JSON in valid UTF-8, without
 * duplicate keys, without {@code \u0000} or surrogate escapes, keys without escapes, within modest
 * size limits. Anything else is {@link #UNSURE} and goes to the parser, so the fast path can make a
 * classification faster but never different.
 */
final class JsonScan {
  /** Not sure: ask the parser. */
  static final int UNSURE = -1;

  static final int MAX_DEPTH = 200;
  static final int MAX_NUMBER_BYTES = 200;
  static final int MAX_STRING_BYTES = 1_000_000;

  /** Well under the parser's own limit on names (Jackson's StreamReadConstraints: 50,000). */
  static final int MAX_KEY_BYTES = 1_000;

  private static final int MAX_KEYS = 64;

  private final byte[] in;
  private int pos;
  private int depth;
  private boolean nonAscii; // a byte >= 0x80 in a string (outside one, no such byte is accepted)

  private JsonScan(byte[] in) {
    this.in = in;
  }

  /** {@link JsonText#CONTAINER} or {@link JsonText#SCALAR} when sure, else {@link #UNSURE}. */
  static int classify(byte[] b) {
    JsonScan s = new JsonScan(b);
    s.space();
    if (s.pos >= b.length) {
      return UNSURE;
    }
    boolean container = b[s.pos] == '{' || b[s.pos] == '[';
    if (!s.value()) {
      return UNSURE;
    }
    s.space();
    if (s.pos != b.length) {
      return UNSURE;
    }
    if (s.nonAscii && Utf8.pgTextLength(b) < 0) {
      return UNSURE; // invalid UTF-8 in a string: the parser decides
    }
    return container ? JsonText.CONTAINER : JsonText.SCALAR;
  }

  private boolean value() {
    if (pos >= in.length) {
      return false;
    }
    return switch (in[pos]) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string(false) >= 0;
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    };
  }

  private boolean object() {
    if (++depth > MAX_DEPTH) {
      return false;
    }
    pos++; // {
    space();
    if (pos < in.length && in[pos] == '}') {
      pos++;
      depth--;
      return true;
    }
    int[] keys = new int[8]; // start and length of each key's raw bytes
    int count = 0;
    while (true) {
      if (pos >= in.length || in[pos] != '"') {
        return false;
      }
      int start = pos + 1;
      int length = string(true);
      if (length < 0 || count == MAX_KEYS || duplicate(keys, count, start, length)) {
        return false;
      }
      if (2 * count + 2 > keys.length) {
        keys = Arrays.copyOf(keys, keys.length * 2);
      }
      keys[2 * count] = start;
      keys[2 * count + 1] = length;
      count++;
      space();
      if (pos >= in.length || in[pos] != ':') {
        return false;
      }
      pos++;
      space();
      if (!value()) {
        return false;
      }
      space();
      if (pos >= in.length) {
        return false;
      }
      if (in[pos] == '}') {
        pos++;
        depth--;
        return true;
      }
      if (in[pos] != ',') {
        return false;
      }
      pos++;
      space();
    }
  }

  private boolean duplicate(int[] keys, int count, int start, int length) {
    for (int k = 0; k < count; k++) {
      int s = keys[2 * k];
      if (keys[2 * k + 1] == length
          && Arrays.equals(in, s, s + length, in, start, start + length)) {
        return true;
      }
    }
    return false;
  }

  private boolean array() {
    if (++depth > MAX_DEPTH) {
      return false;
    }
    pos++; // [
    space();
    if (pos < in.length && in[pos] == ']') {
      pos++;
      depth--;
      return true;
    }
    while (true) {
      if (!value()) {
        return false;
      }
      space();
      if (pos >= in.length) {
        return false;
      }
      if (in[pos] == ']') {
        pos++;
        depth--;
        return true;
      }
      if (in[pos] != ',') {
        return false;
      }
      pos++;
      space();
    }
  }

  /**
   * A string at {@code pos} (its opening quote); returns the length of its raw bytes, or -1 when it
   * is not plain (a key with an escape, a {@code \u0000} or surrogate escape, a control character,
   * no closing quote, too long).
   */
  private int string(boolean key) {
    int start = ++pos;
    int n = in.length;
    while (pos < n) {
      byte c = in[pos];
      if (c == '"') {
        int length = pos - start;
        pos++;
        return length > (key ? MAX_KEY_BYTES : MAX_STRING_BYTES) ? -1 : length;
      }
      if (c < 0x20) {
        if (c >= 0) {
          return -1; // a control character (or NUL) must be escaped
        }
        nonAscii = true;
      }
      if (c == '\\') {
        if (key || !escape()) {
          return -1;
        }
        continue;
      }
      pos++;
    }
    return -1;
  }

  /** One escape at {@code pos} (the backslash); false for one the fast path leaves alone. */
  private boolean escape() {
    if (pos + 1 >= in.length) {
      return false;
    }
    switch (in[pos + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        pos += 2;
        return true;
      }
      case 'u' -> {
        if (pos + 5 >= in.length) {
          return false;
        }
        int code = 0;
        for (int k = 2; k < 6; k++) {
          int d = Character.digit(in[pos + k], 16);
          if (d < 0) {
            return false;
          }
          code = code * 16 + d;
        }
        if (code == 0 || (code >= 0xD800 && code <= 0xDFFF)) {
          return false;
        }
        pos += 6;
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private boolean literal(String word) {
    int n = word.length();
    if (pos + n > in.length) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (in[pos + k] != word.charAt(k)) {
        return false;
      }
    }
    pos += n;
    return ends();
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private boolean number() {
    int start = pos;
    if (in[pos] == '-') {
      pos++;
    }
    if (pos >= in.length) {
      return false;
    }
    if (in[pos] == '0') {
      pos++;
    } else if (!digits()) {
      return false;
    }
    if (pos < in.length && in[pos] == '.') {
      pos++;
      if (!digits()) {
        return false;
      }
    }
    boolean exponent = pos < in.length && (in[pos] == 'e' || in[pos] == 'E');
    if (exponent) {
      pos++;
      if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
        pos++;
      }
      if (!digits()) {
        return false;
      }
    }
    // only an exponent can take a number this short past numeric's range: the parser decides
    return pos - start <= MAX_NUMBER_BYTES
        && (!exponent || NumericRange.holds(in, start, pos))
        && ends();
  }

  private boolean digits() {
    int start = pos;
    while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
      pos++;
    }
    return pos > start;
  }

  /** A scalar ends at the end, at whitespace, or at a comma or closing bracket. */
  private boolean ends() {
    if (pos >= in.length) {
      return true;
    }
    byte c = in[pos];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ']' || c == '}';
  }

  private void space() {
    while (pos < in.length) {
      byte c = in[pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
