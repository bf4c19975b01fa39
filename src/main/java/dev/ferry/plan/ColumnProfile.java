package dev.ferry.plan;

import dev.ferry.source.RowCursor;
import dev.ferry.value.Booleans;
import dev.ferry.value.JsonText;
import dev.ferry.value.Repairs;
import dev.ferry.value.Timestamps;
import dev.ferry.value.Utf8;
import java.nio.charset.StandardCharsets;

/**
 * What one column actually stores, gathered in one streaming pass: counts per storage class and,
 * for each candidate PostgreSQL type, whether every value so far converts to it without loss.
 * Memory is constant: a candidate, once ruled out, is never checked again.
 */
public final class ColumnProfile {
  private static final long DOUBLE_EXACT = 1L << 53;
  private static final int EXAMPLE_CHARS = 40;

  long nulls;
  long integers;
  long reals;
  long texts;
  long blobs;

  long minInteger = Long.MAX_VALUE;
  long maxInteger = Long.MIN_VALUE;
  boolean integersAreBits = true;
  boolean integersFitDouble = true;
  boolean realsIntegral = true;
  boolean realsFinite = true;

  boolean textValidUtf8 = true;
  long textRepairs;
  long jsonRepairs;
  boolean textJsonContainer = true;
  boolean textJson = true;
  boolean textTimestamp = true;
  boolean textDateOnly = true;
  boolean textBoolean = true;
  boolean textNumeric = true;
  int maxChars;
  String firstText;
  String firstBadText;

  /**
   * Set for a column a one-pass load converts as a timestamp while it profiles it: the load's
   * encoder parses every text as a timestamp and stops the load at the first that is not one, so
   * the profile need not parse it a second time ({@link #textTimestamp} holds for every value the
   * load keeps).
   */
  private boolean timestampsParsedByLoad;

  /**
   * Set for a jsonb column (planned without repairs) of a checksummed one-pass load: the thread
   * that hashes each loaded document canonicalizes it anyway, and the load stops (and the table is
   * profiled in full) at the first document that would not classify here as plain JSON. So a text
   * that starts as an object or array is taken to be one here without a second scan; the load's
   * check keeps {@link #textJson} and {@link #textJsonContainer} true only when they are.
   */
  private boolean jsonCheckedByLoad;

  /**
   * Set for a column whose texts staging generated itself as plain JSON ({@code
   * SourceColumn.plainJson}): a text that is valid UTF-8 is taken to be the JSON container or
   * scalar it starts as, without {@link JsonText#classify}; staging proved it has nothing that
   * check would repair or refuse.
   */
  private boolean plainJson;

  /** A profile of {@code column}'s values. */
  static ColumnProfile of(dev.ferry.source.SourceColumn column) {
    ColumnProfile p = new ColumnProfile();
    p.plainJson = column.plainJson();
    return p;
  }

  /** See {@link #jsonCheckedByLoad}. */
  void jsonCheckedByLoad() {
    jsonCheckedByLoad = true;
  }

  /** See {@link #timestampsParsedByLoad}. */
  void timestampsParsedByLoad() {
    timestampsParsedByLoad = true;
  }

  /** Adds what {@code o} saw (another part of the same column) to this profile. */
  void merge(ColumnProfile o) {
    nulls += o.nulls;
    integers += o.integers;
    reals += o.reals;
    texts += o.texts;
    blobs += o.blobs;
    minInteger = Math.min(minInteger, o.minInteger);
    maxInteger = Math.max(maxInteger, o.maxInteger);
    integersAreBits &= o.integersAreBits;
    integersFitDouble &= o.integersFitDouble;
    realsIntegral &= o.realsIntegral;
    realsFinite &= o.realsFinite;
    textValidUtf8 &= o.textValidUtf8;
    textRepairs += o.textRepairs;
    jsonRepairs += o.jsonRepairs;
    textJsonContainer &= o.textJsonContainer;
    textJson &= o.textJson;
    textTimestamp &= o.textTimestamp;
    textDateOnly &= o.textDateOnly;
    textBoolean &= o.textBoolean;
    textNumeric &= o.textNumeric;
    maxChars = Math.max(maxChars, o.maxChars);
    firstText = firstText != null ? firstText : o.firstText;
    firstBadText = firstBadText != null ? firstBadText : o.firstBadText;
  }

  /**
   * Accounts for column {@code i} of the cursor's current row. True when the value may have moved
   * the column's {@link #shape} (a storage class seen for the first time, an integer outside the
   * range so far, a longer text, a candidate ruled out, a repair): false means the shape is the
   * same as before, so a one-pass load need not compute it for every value.
   */
  boolean add(RowCursor row, int i) {
    return switch (row.type(i)) {
      case RowCursor.INTEGER -> addInteger(row.longValue(i));
      case RowCursor.REAL -> addReal(row.doubleValue(i));
      case RowCursor.TEXT -> addText(row.bytes(i));
      case RowCursor.BLOB -> blobs++ == 0;
      default -> {
        nulls++;
        yield false; // NULLs are not part of the shape
      }
    };
  }

  /**
   * Every integer fact of the shape (bits, double-exact, the ranges) can only change with a value
   * outside [min, max] so far: while all values were 0 or 1, or within 2^53, so were min and max.
   */
  private boolean addInteger(long v) {
    boolean moved = integers == 0 || v < minInteger || v > maxInteger;
    integers++;
    minInteger = Math.min(minInteger, v);
    maxInteger = Math.max(maxInteger, v);
    if (v != 0 && v != 1) {
      integersAreBits = false;
    }
    if (v > DOUBLE_EXACT || v < -DOUBLE_EXACT) {
      integersFitDouble = false;
    }
    return moved;
  }

  private boolean addReal(double v) {
    boolean moved = reals++ == 0;
    if (Double.isInfinite(v) || Double.isNaN(v)) {
      moved |= realsFinite;
      realsFinite = false;
    }
    if (v != Math.rint(v)) {
      realsIntegral = false;
    }
    return moved;
  }

  private boolean addText(byte[] b) {
    // once a text was repaired, the repairs' share (part of the shape) moves with every text
    boolean moved = texts++ == 0 || textRepairs > 0;
    int chars = plainJson ? plainChars(b) : Utf8.pgTextLength(b);
    boolean valid = chars >= 0;
    if (!valid) { // judged as it will be loaded: repaired (see value.Repairs)
      if (textValidUtf8) {
        firstBadText = example(b);
      }
      textValidUtf8 = false;
      textRepairs++;
      moved = true;
      b = Repairs.text(b);
      chars = Utf8.pgTextLength(b);
    }
    if (chars > maxChars) {
      maxChars = chars;
      moved = true;
    }
    if (firstText == null) {
      firstText = example(b);
    }
    if (textJson) {
      int json;
      if (valid && plainJson) {
        json = startsContainer(b) ? JsonText.CONTAINER : JsonText.SCALAR; // as staging proved
      } else if (valid && jsonCheckedByLoad && startsContainer(b)) {
        json = JsonText.CONTAINER; // checked by the load's hashing thread
      } else {
        json = JsonText.classify(b);
      }
      if ((json & JsonText.REPAIRABLE) != 0) {
        jsonRepairs++;
        moved = true;
        json &= ~JsonText.REPAIRABLE;
      }
      if (json == JsonText.INVALID) {
        textJson = false;
        textJsonContainer = false;
        moved = true;
        noteBad(b);
      } else if (json != JsonText.CONTAINER) {
        moved |= textJsonContainer;
        textJsonContainer = false;
      }
    }
    return addTextCandidates(b) || moved;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH = 0x8080808080808080L;

  /**
   * The characters of a text staging's JSON generator wrote ({@link #plainJson}): valid UTF-8
   * without NUL by construction, so they are the bytes that do not continue a character (not {@code
   * 10xxxxxx}), counted eight at a time, where {@link Utf8#pgTextLength} validates every byte of
   * every non-ASCII character. The same count for such a text.
   */
  static int plainChars(byte[] b) {
    int continuation = 0;
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      long w = (long) LONGS.get(b, i);
      continuation += Long.bitCount(w & HIGH & ~(w << 1));
    }
    for (; i < b.length; i++) {
      continuation += (b[i] & 0xc0) == 0x80 ? 1 : 0;
    }
    return b.length - continuation;
  }

  /** The first byte after JSON whitespace opens an object or array. */
  private static boolean startsContainer(byte[] b) {
    for (byte c : b) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /** The timestamp, date, number and boolean candidates; true when one was ruled out. */
  private boolean addTextCandidates(byte[] b) {
    boolean moved = false;
    if (textTimestamp) {
      if (!timestampsParsedByLoad && Timestamps.micros(b) == Timestamps.INVALID) {
        textTimestamp = false;
        textDateOnly = false;
        moved = true;
      } else if (textDateOnly && !Timestamps.isDate(b)) {
        textDateOnly = false;
        moved = true;
      }
    }
    if (textNumeric && !decimalLiteral(b)) {
      textNumeric = false;
      moved = true;
    }
    if (textBoolean && Booleans.parse(b) == Booleans.INVALID) {
      textBoolean = false;
      moved = true;
    }
    return moved;
  }

  /** A JSON number, -?digits(.digits)?([eE][+-]?digits)?, within numeric's range. */
  static boolean decimalLiteral(byte[] b) {
    int i = 0;
    int n = b.length;
    if (i < n && b[i] == '-') {
      i++;
    }
    int digits = i;
    while (i < n && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    if (i == digits) {
      return false;
    }
    if (i < n && b[i] == '.') {
      int f = ++i;
      while (i < n && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == f) {
        return false;
      }
    }
    boolean exponent = i < n && (b[i] == 'e' || b[i] == 'E');
    if (exponent) {
      i++;
      if (i < n && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int e = i;
      while (i < n && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == e) {
        return false;
      }
    }
    // only an exponent or 16,384 digits take a literal past numeric's range
    return i == n && ((!exponent && n <= 16383) || dev.ferry.value.NumericRange.holds(b, 0, n));
  }

  private void noteBad(byte[] b) {
    if (firstBadText == null) {
      firstBadText = example(b);
    }
  }

  private static String example(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, EXAMPLE_CHARS * 4), StandardCharsets.UTF_8);
    StringBuilder e = new StringBuilder();
    s.codePoints()
        .limit(EXAMPLE_CHARS)
        .forEach(
            cp -> {
              if (cp == 0) {
                e.append("\\0");
              } else if (cp < 0x20 || cp == 0x7f) {
                e.append(String.format("\\x%02x", cp));
              } else {
                e.appendCodePoint(cp);
              }
            });
    return s.codePointCount(0, s.length()) > EXAMPLE_CHARS ? e + "…" : e.toString();
  }

  /**
   * Everything about the values so far that {@link TypeChooser} decides on, folded into one number
   * that changes only when such a fact changes (a storage class seen for the first time, a
   * candidate ruled out, an integer past a range the choice depends on, a longer text): a one-pass
   * load re-decides a column only when its shape moves, which is rare.
   */
  long shape() {
    long bits = 0;
    int k = 0;
    bits |= bit(integers > 0, k++);
    bits |= bit(reals > 0, k++);
    bits |= bit(texts > 0, k++);
    bits |= bit(blobs > 0, k++);
    bits |= bit(integersAreBits, k++);
    bits |= bit(integersFitDouble, k++);
    bits |= bit(realsFinite, k++);
    bits |= bit(textValidUtf8, k++);
    bits |= bit(jsonRepairs > 0, k++);
    bits |= bit(textJsonContainer, k++);
    bits |= bit(textJson, k++);
    bits |= bit(textTimestamp, k++);
    bits |= bit(textDateOnly, k++);
    bits |= bit(textBoolean, k++);
    bits |= bit(textNumeric, k++);
    bits |= bit(minInteger >= Short.MIN_VALUE && maxInteger <= Short.MAX_VALUE, k++);
    bits |= bit(minInteger >= 0, k++);
    bits |= bit(minInteger >= Timestamps.MILLIS_THRESHOLD, k++);
    bits |= bit(maxInteger < Timestamps.MILLIS_THRESHOLD, k++);
    bits |= bit(maxInteger < 253_402_300_800_000L, k++);
    bits |= bit(textRepairs > Math.max(TypeChooser.REPAIRS_BEFORE_BYTEA, texts / 100), k++);
    return bits | ((long) maxChars << 24);
  }

  private static long bit(boolean b, int k) {
    return b ? 1L << k : 0;
  }

  StoredValues stored() {
    return new StoredValues(
        nulls, integers, reals, texts, blobs, textRepairs + jsonRepairs, firstText);
  }

  public long nulls() {
    return nulls;
  }

  public long nonNull() {
    return integers + reals + texts + blobs;
  }

  /** Counts per storage class, for people: "499 integer, 1 text". */
  public String storedSummary() {
    return stored().summary();
  }

  boolean epochConsistent(EpochUnit unit) {
    if (integers == 0) {
      return false;
    }
    long lo = minInteger;
    long hi = maxInteger;
    return switch (unit) {
      case SECONDS -> lo >= 0 && hi < Timestamps.MILLIS_THRESHOLD;
      case MILLISECONDS -> lo >= Timestamps.MILLIS_THRESHOLD && hi < 253_402_300_800_000L;
      default -> false;
    };
  }
}
