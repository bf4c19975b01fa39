package dev.ferry.value;

import java.util.Arrays;

/**
 * Writes the canonical jsonb text of a JSON document into a buffer it reuses: one pass over the
 * input bytes, no tree, no strings, no allocation once its buffers have grown. Objects are written
 * as they come; an object whose keys were not already in jsonb's order (byte length, then bytes) or
 * that repeats a key is rewritten in place from a scratch copy of its members, keeping the last
 * copy of a repeated key as jsonb does. Containers are tracked on explicit stacks, so any nesting
 * depth works without recursion.
 *
 * <p>Input PostgreSQL's jsonb would refuse (bad syntax, {@code \u0000}, a lone surrogate escape, a
 * number beyond numeric's range) throws {@link IllegalArgumentException}. Raw bytes of 0x80 and
 * above are copied as they are: their UTF-8 validity is the caller's (and the server's) concern.
 *
 * <p>Why over 500 lines: one hand-written pass that must match jsonb's canonical text byte for byte
 * (objects, strings, escapes, numbers); its parts share the one buffer and position.
 */
final class JsonbCanonicalizer {
  private static final int KEEP = 1 << 20; // buffers larger than this are dropped after a document

  private byte[] in;
  private int pos;
  private int end;

  byte[] out = new byte[256];
  int size;

  /**
   * After {@link #canonicalize}: false when the document repeated a key or went beyond the limits
   * within which {@link JsonScan} answers (nesting, number, string and key lengths), where only
   * {@link JsonText#classify} can say what the profile would conclude. See {@link JsonbText#plain}.
   */
  boolean plain;

  /** Decoded UTF-8 bytes of the keys of every open object, for ordering them. */
  private byte[] keys = new byte[256];

  private int keysSize;

  /** Per member of an open object: start and end in {@link #out}, key offset and length. */
  private int[] members = new int[64];

  private int memberTop;

  /** Per open container: its first member's index (-1 for an array), content start, key base. */
  private int[] frames = new int[48];

  private boolean[] frameUnordered = new boolean[16];
  private int depth;

  /** Top-level members whose canonical text to hash as the document is read; null: none. */
  private JsonbText.Members watched;

  /** Per member of the root object: its value's start in {@link #out} and in the input. */
  private int[] rootValueOut = new int[16];

  private int[] rootValueIn = new int[16];
  private int[] rootValueInEnd = new int[16];

  private byte[] scratch = new byte[256];
  private int[] order = new int[16];
  private int[] mergeTemp = new int[16];

  /** Writes the canonical text of {@code b[off, off + len)} to {@code out[0, size)}. */
  void canonicalize(byte[] b, int off, int len) {
    canonicalize(b, off, len, null);
  }

  /**
   * {@link #canonicalize(byte[], int, int)}, and for each top-level member {@code members} names,
   * where its value lies in {@code b} and the hash of the value's canonical text (see {@link
   * JsonbText.Members}).
   */
  void canonicalize(byte[] b, int off, int len, JsonbText.Members members) {
    watched = members;
    if (members != null) {
      members.clear();
    }
    in = b;
    pos = off;
    end = off + len;
    size = 0;
    keysSize = 0;
    memberTop = 0;
    depth = 0;
    plain = true;
    try {
      document();
    } finally {
      in = null;
      watched = null;
    }
  }

  /** Drops buffers a big document grew, so a thread keeps at most about 1 MiB of each. */
  void trim() {
    if (out.length > KEEP) {
      out = new byte[256];
    }
    if (scratch.length > KEEP) {
      scratch = new byte[256];
    }
    if (keys.length > KEEP) {
      keys = new byte[256];
    }
  }

  private void document() {
    while (true) {
      space();
      byte c = peek();
      if (c == '{' || c == '[') {
        if (openContainer(c)) {
          continue; // its first value (or first member's value) is next
        }
      } else {
        scalar(c);
      }
      while (depth > 0 && !afterValue()) {
        // a container closed: it was a value of the container around it
      }
      if (depth == 0) {
        space();
        if (pos != end) {
          throw bad("text after the document");
        }
        return;
      }
    }
  }

  /**
   * After a value inside the innermost container: a comma (true: a value follows) or the
   * container's end (false: the container itself was a value).
   */
  private boolean afterValue() {
    boolean object = frames[3 * (depth - 1)] >= 0;
    if (object) {
      members[4 * (memberTop - 1) + 1] = size;
      if (watched != null && depth == 1) {
        rootValueInEnd[memberTop - 1] = pos;
      }
    }
    space();
    byte c = peek();
    pos++;
    if (c == ',') {
      put2(',', ' ');
      if (object) {
        member();
      }
      return true;
    }
    if (object && c == '}') {
      closeObject();
      return false;
    }
    if (!object && c == ']') {
      put((byte) ']');
      depth--;
      return false;
    }
    throw bad("expected , or the end of the " + (object ? "object" : "array"));
  }

  /** Opens an object or array; true when a value (or a member's value) is next. */
  private boolean openContainer(byte c) {
    pos++;
    put(c);
    pushFrame(c == '{' ? memberTop : -1);
    space();
    if (c == '{') {
      if (peek() == '}') {
        pos++;
        closeObject();
        return false;
      }
      member();
    } else if (peek() == ']') {
      pos++;
      put((byte) ']');
      depth--;
      return false;
    }
    return true;
  }

  private void pushFrame(int firstMember) {
    if (3 * depth + 3 > frames.length) {
      frames = Arrays.copyOf(frames, frames.length * 2);
      frameUnordered = Arrays.copyOf(frameUnordered, frameUnordered.length * 2);
    }
    frames[3 * depth] = firstMember;
    frames[3 * depth + 1] = size;
    frames[3 * depth + 2] = keysSize;
    frameUnordered[depth] = false;
    depth++;
    if (depth > JsonScan.MAX_DEPTH) {
      plain = false;
    }
  }

  /** A member's key and colon; records it and notes when its key is not after the previous one. */
  private void member() {
    space();
    if (peek() != '"') {
      throw bad("expected a key");
    }
    int start = size;
    int keyOffset = keysSize;
    string(true);
    space();
    if (peek() != ':') {
      throw bad("expected :");
    }
    pos++;
    put2(':', ' ');
    if (4 * memberTop + 4 > members.length) {
      members = Arrays.copyOf(members, members.length * 2);
    }
    int m = 4 * memberTop;
    members[m] = start;
    members[m + 2] = keyOffset;
    members[m + 3] = keysSize - keyOffset;
    int first = frames[3 * (depth - 1)];
    if (memberTop > first && compareKeys(memberTop - 1, memberTop) >= 0) {
      frameUnordered[depth - 1] = true;
    }
    if (watched != null && depth == 1) {
      rootValue(memberTop);
    }
    memberTop++;
  }

  /** Notes where the value of root member {@code m} starts, in the output and in the input. */
  private void rootValue(int m) {
    if (m >= rootValueOut.length) {
      rootValueOut = Arrays.copyOf(rootValueOut, 2 * m + 2);
      rootValueIn = Arrays.copyOf(rootValueIn, 2 * m + 2);
      rootValueInEnd = Arrays.copyOf(rootValueInEnd, 2 * m + 2);
    }
    space();
    rootValueOut[m] = size;
    rootValueIn[m] = pos;
  }

  /**
   * At the end of the root object, before its members are put in order: each watched member's value
   * is final in {@link #out} (inner objects were ordered as they closed), so its hash is that of
   * the value canonicalized alone.
   */
  private void reportRootMembers(int first) {
    for (int m = first; m < memberTop; m++) {
      int keyOffset = members[4 * m + 2];
      int keyLength = members[4 * m + 3];
      int start = rootValueOut[m];
      watched.member(
          keys,
          keyOffset,
          keyLength,
          rootValueIn[m],
          rootValueInEnd[m],
          out,
          start,
          members[4 * m + 1] - start);
    }
  }

  private void closeObject() {
    int f = 3 * (depth - 1);
    int first = frames[f];
    int contentStart = frames[f + 1];
    if (watched != null && depth == 1) {
      reportRootMembers(first);
    }
    if (frameUnordered[depth - 1]) {
      rewriteInOrder(first, memberTop - first, contentStart);
    }
    put((byte) '}');
    memberTop = first;
    keysSize = frames[f + 2];
    depth--;
  }

  /** Rewrites an object's members, sorted by key and without repeated keys (the last one wins). */
  private void rewriteInOrder(int first, int count, int contentStart) {
    if (order.length < count) {
      order = new int[Math.max(count, 2 * order.length)];
      mergeTemp = new int[order.length];
    }
    for (int i = 0; i < count; i++) {
      order[i] = first + i;
    }
    sort(0, count);
    int length = size - contentStart;
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, 2 * scratch.length)];
    }
    System.arraycopy(out, contentStart, scratch, 0, length);
    size = contentStart;
    boolean firstWritten = true;
    for (int k = 0; k < count; k++) {
      int m = order[k];
      if (k + 1 < count && compareKeys(m, order[k + 1]) == 0) {
        plain = false;
        continue; // a repeated key: a later copy follows in the order, and jsonb keeps the last
      }
      if (!firstWritten) {
        put2(',', ' ');
      }
      firstWritten = false;
      int from = members[4 * m] - contentStart;
      write(scratch, from, members[4 * m + 1] - members[4 * m]);
    }
  }

  /** A stable merge sort of {@code order[from, to)} by key: equal keys stay in document order. */
  private void sort(int from, int to) {
    if (to - from <= 12) {
      for (int i = from + 1; i < to; i++) {
        int v = order[i];
        int j = i - 1;
        while (j >= from && compareKeys(order[j], v) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    sort(from, mid);
    sort(mid, to);
    System.arraycopy(order, from, mergeTemp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compareKeys(mergeTemp[i], mergeTemp[j]) <= 0)) {
        order[k] = mergeTemp[i++];
      } else {
        order[k] = mergeTemp[j++];
      }
    }
  }

  /** jsonb's key order: byte length of the decoded key, then its bytes. */
  private int compareKeys(int a, int b) {
    int la = members[4 * a + 3];
    int lb = members[4 * b + 3];
    if (la != lb) {
      return Integer.compare(la, lb);
    }
    int oa = members[4 * a + 2];
    int ob = members[4 * b + 2];
    return Arrays.compareUnsigned(keys, oa, oa + la, keys, ob, ob + lb);
  }

  private void scalar(byte c) {
    switch (c) {
      case '"' -> string(false);
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  /**
   * A string as escape_json writes the decoded text; for a key, its decoded bytes go to {@link
   * #keys} too.
   */
  private void string(boolean key) {
    pos++; // "
    put((byte) '"');
    int from = pos;
    byte[] b = in;
    int stop = end;
    while (true) {
      int run = pos;
      // the scan in locals: C1 (bin/ferry's only compiler) would load and store the fields at
      // every byte of every string of every document
      int at = run;
      while (at < stop) {
        byte c = b[at];
        if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
          break;
        }
        at++;
      }
      pos = at;
      if (pos > run) {
        write(in, run, pos - run);
        if (key) {
          keyBytes(in, run, pos - run);
        }
      }
      byte c = peek();
      pos++;
      if (c == '"') {
        put((byte) '"');
        if (pos - from > (key ? JsonScan.MAX_KEY_BYTES : JsonScan.MAX_STRING_BYTES)) {
          plain = false;
        }
        return;
      }
      if (c != '\\') {
        throw bad("a control character in a string");
      }
      escape(key);
    }
  }

  private void escape(boolean key) {
    byte e = peek();
    pos++;
    int cp =
        switch (e) {
          case '"' -> '"';
          case '\\' -> '\\';
          case '/' -> '/';
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          case 'u' -> unicodeEscape();
          default -> throw bad("an unknown escape \\" + (char) e);
        };
    decodedChar(cp, key);
  }

  /** The code point of a {@code \}{@code uXXXX} escape (a surrogate pair counts as one). */
  private int unicodeEscape() {
    int cp = hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      throw bad("a low surrogate escape without a high one");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (pos + 1 >= end || in[pos] != '\\' || in[pos + 1] != 'u') {
        throw bad("a high surrogate escape without a low one");
      }
      pos += 2;
      int low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) {
        throw bad("a high surrogate escape without a low one");
      }
      return Character.toCodePoint((char) cp, (char) low);
    }
    if (cp == 0) {
      throw bad("\\u0000, which jsonb cannot hold");
    }
    return cp;
  }

  private int hex4() {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(peek(), 16);
      pos++;
      if (d < 0) {
        throw bad("a bad \\u escape");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** One decoded character, escaped as escape_json escapes it. */
  private void decodedChar(int cp, boolean key) {
    switch (cp) {
      case '"' -> put2('\\', '"');
      case '\\' -> put2('\\', '\\');
      case '\b' -> put2('\\', 'b');
      case '\f' -> put2('\\', 'f');
      case '\n' -> put2('\\', 'n');
      case '\r' -> put2('\\', 'r');
      case '\t' -> put2('\\', 't');
      default -> {
        if (cp < 0x20) {
          put2('\\', 'u');
          put2('0', '0');
          put2(Character.forDigit(cp >> 4, 16), Character.forDigit(cp & 0xf, 16));
        } else {
          int start = size;
          utf8(cp);
          if (key) {
            keyBytes(out, start, size - start);
          }
          return;
        }
      }
    }
    if (key) {
      ensureKeys(1);
      keys[keysSize++] = (byte) cp;
    }
  }

  private void utf8(int cp) {
    if (cp < 0x80) {
      put((byte) cp);
    } else if (cp < 0x800) {
      put2(0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      put((byte) (0xE0 | (cp >> 12)));
      put2(0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
    } else {
      put2(0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F));
      put2(0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
    }
  }

  private void literal(String word) {
    if (pos + word.length() > end) {
      throw bad("expected " + word);
    }
    for (int i = 0; i < word.length(); i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw bad("expected " + word);
      }
    }
    write(in, pos, word.length());
    pos += word.length();
  }

  /**
   * A JSON number as numeric prints it: a plain number is copied (without the sign of a negative
   * zero), one with an exponent goes through numeric's rules. A number numeric cannot hold (more
   * than 16383 digits after the point, or beyond 10^131072) is refused, as the server refuses it.
   */
  private void number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    byte first = peek();
    int integer = pos;
    if (first == '0') {
      pos++;
    } else if (first >= '1' && first <= '9') {
      pos = digits(pos);
    } else {
      throw bad("expected a value");
    }
    int integerDigits = pos - integer;
    int fractionDigits = 0;
    int firstNonZero = -1; // in the fraction, when the integer part is 0
    if (pos < end && in[pos] == '.') {
      int fraction = ++pos;
      pos = digits(pos);
      fractionDigits = pos - fraction;
      if (fractionDigits == 0) {
        throw bad("expected a digit after the point");
      }
      for (int i = fraction; i < pos && firstNonZero < 0 && first == '0'; i++) {
        firstNonZero = in[i] != '0' ? i - fraction : -1;
      }
    }
    boolean zero = first == '0' && firstNonZero < 0;
    long exponent = 0;
    boolean hasExponent = pos < end && (in[pos] == 'e' || in[pos] == 'E');
    if (hasExponent) {
      exponent = exponent();
    }
    // numeric's limits: its display scale and the weight of its first non-zero digit
    long scale = Math.max(0, fractionDigits - exponent);
    long weight = (first == '0' ? -(firstNonZero + 1L) : integerDigits - 1L) + exponent;
    if (!NumericRange.fits(scale, weight, zero)) {
      throw bad("a number beyond numeric's range");
    }
    if (pos - start > JsonScan.MAX_NUMBER_BYTES) {
      plain = false;
    }
    if (hasExponent) {
      if (in[start] == '-' && !zero) {
        put((byte) '-');
      }
      shifted(integer, integerDigits, fractionDigits, (int) exponent);
    } else {
      int from = in[start] == '-' && zero ? start + 1 : start;
      write(in, from, pos - from);
    }
  }

  /**
   * numeric_out of a number with an exponent: its digits with the point moved, plain, with as many
   * fraction digits as were written after the point less the exponent.
   */
  private void shifted(int integer, int integerDigits, int fractionDigits, int exponent) {
    int count = integerDigits + fractionDigits; // the digits, the point skipped
    int point = integerDigits + exponent; // where the point goes, counted in those digits
    int leading = point;
    boolean any = false;
    for (int k = 0; k < point; k++) {
      byte d = k < count ? digit(integer, integerDigits, k) : (byte) '0';
      if (d != '0' || any) {
        any = true;
        put(d);
      } else {
        leading--;
      }
    }
    if (leading <= 0) {
      put((byte) '0');
    }
    if (count > point) {
      put((byte) '.');
      for (int k = point; k < count; k++) {
        put(k < 0 ? (byte) '0' : digit(integer, integerDigits, k));
      }
    }
  }

  /**
   * The k-th digit of a number whose integer digits start at {@code integer}, the point skipped.
   */
  private byte digit(int integer, int integerDigits, int k) {
    return in[k < integerDigits ? integer + k : integer + k + 1];
  }

  /** The exponent after {@code e}, as numeric reads it (at most about 2^30 in magnitude). */
  private long exponent() {
    int p = pos + 1;
    boolean negative = p < end && in[p] == '-';
    if (p < end && (in[p] == '+' || in[p] == '-')) {
      p++;
    }
    pos = digits(p);
    if (pos == p) {
      throw bad("expected a digit in the exponent");
    }
    long exponent = 0;
    for (int i = p; i < pos; i++) {
      exponent = exponent * 10 + in[i] - '0';
      if (exponent > Integer.MAX_VALUE / 2) {
        throw bad("a number beyond numeric's range");
      }
    }
    return negative ? -exponent : exponent;
  }

  private int digits(int p) {
    while (p < end && in[p] >= '0' && in[p] <= '9') {
      p++;
    }
    return p;
  }

  private void space() {
    while (pos < end) {
      byte c = in[pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private byte peek() {
    if (pos >= end) {
      throw bad("the document ends early");
    }
    return in[pos];
  }

  private IllegalArgumentException bad(String what) {
    return new IllegalArgumentException("not JSON jsonb can hold: " + what + " at byte " + pos);
  }

  private void keyBytes(byte[] b, int off, int len) {
    ensureKeys(len);
    System.arraycopy(b, off, keys, keysSize, len);
    keysSize += len;
  }

  private void ensureKeys(int more) {
    if (keysSize + more > keys.length) {
      keys = Arrays.copyOf(keys, Math.max(keys.length * 2, keysSize + more));
    }
  }

  private void put(byte b) {
    if (size == out.length) {
      out = Arrays.copyOf(out, out.length * 2);
    }
    out[size++] = b;
  }

  private void put2(int a, int b) {
    if (size + 2 > out.length) {
      out = Arrays.copyOf(out, out.length * 2);
    }
    out[size++] = (byte) a;
    out[size++] = (byte) b;
  }

  private void write(byte[] b, int off, int len) {
    if (size + len > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, size + len));
    }
    System.arraycopy(b, off, out, size, len);
    size += len;
  }
}
