package dev.ferry.value;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The text PostgreSQL's jsonb prints for a JSON document ({@code jsonb_out}): object keys sorted by
 * byte length then bytes (a repeated key keeps its last value), {@code ", "} and {@code ": "}
 * separators, numbers as numeric prints them, strings escaped as {@code escape_json} does. The
 * canonical value of a jsonb column: two documents are the same jsonb exactly when these texts are
 * equal, and a jsonb column hashes as this text for the checksum.
 */
public final class JsonbText {
  /** One canonicalizer per thread: its buffers are reused from one value to the next. */
  private static final ThreadLocal<JsonbCanonicalizer> WRITER =
      ThreadLocal.withInitial(JsonbCanonicalizer::new);

  private JsonbText() {}

  /**
   * The canonical jsonb text of a JSON document.
   *
   * @throws IllegalArgumentException when jsonb would refuse the document
   */
  public static byte[] canonical(byte[] json) {
    JsonbCanonicalizer w = WRITER.get();
    w.canonicalize(json, 0, json.length);
    byte[] text = Arrays.copyOf(w.out, w.size);
    w.trim();
    return text;
  }

  /**
   * {@link PgHash#bytes} of the canonical text of the document in {@code json[off, off + len)}:
   * what {@code hashtextextended(value::text, seed)} gives for the jsonb value, without building a
   * string or an array per value.
   *
   * @throws IllegalArgumentException when jsonb would refuse the document
   */
  public static long hash(byte[] json, int off, int len, long seed) {
    JsonbCanonicalizer w = WRITER.get();
    w.canonicalize(json, off, len);
    long h = PgHash.bytes(w.out, 0, w.size, seed);
    w.trim();
    return h;
  }

  /**
   * Whether the last document this thread canonicalized (by {@link #hash} or {@link #canonical}) is
   * plain: JSON that {@link JsonText#classify} surely classifies as a {@link JsonText#CONTAINER} or
   * {@link JsonText#SCALAR} without {@link JsonText#REPAIRABLE}, provided its text is valid UTF-8
   * (the canonicalizer does not check raw bytes). False when it repeated a key (jsonb keeps the
   * last copy: a loss the profile counts as a repair) or went beyond the limits within which the
   * canonicalizer and the profile's parser are known to agree (nesting, number, string and key
   * lengths): then only {@link JsonText#classify} can say. A document the canonicalizer refused
   * threw instead. This lets a one-pass load leave the profile's JSON check of a jsonb column to
   * the thread that hashes it.
   */
  public static boolean plain() {
    return WRITER.get().plain;
  }

  /** A JSON number as PostgreSQL's numeric prints it: plain notation, scale kept, no -0. */
  static String number(String text) {
    BigDecimal d = new BigDecimal(text);
    if (d.scale() < 0) {
      d = d.setScale(0);
    }
    String s = d.toPlainString();
    return d.signum() == 0 && s.startsWith("-") ? s.substring(1) : s;
  }
}
