package dev.ferry.value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
   * {@link #hash(byte[], int, int, long)}, and for each top-level member {@code members} names, its
   * value's place in {@code json} and the hash of the value's canonical text with the member's own
   * seed: what {@link #hash(byte[], int, int, long)} gives for those same bytes alone, because a
   * value's canonical text does not depend on what holds it.
   */
  public static long hash(byte[] json, int off, int len, long seed, Members members) {
    JsonbCanonicalizer w = WRITER.get();
    w.canonicalize(json, off, len, members);
    long h = PgHash.bytes(w.out, 0, w.size, seed);
    w.trim();
    return h;
  }

  /**
   * Top-level members of an object document to report while it is hashed: by name (the decoded
   * key), each with its seed. After {@link #hash(byte[], int, int, long, Members)}, {@link #found}
   * says whether the document was an object holding the member exactly once, and then {@link
   * #from}, {@link #to} and {@link #hash} where its value's text lies and its hash.
   */
  public static final class Members {
    private final byte[][] names;
    private final long[] seeds;
    private final int[] from;
    private final int[] to;
    private final long[] hashes;
    private final int[] seen;

    public Members(List<String> names, long[] seeds) {
      this.names = new byte[names.size()][];
      for (int i = 0; i < this.names.length; i++) {
        this.names[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
      }
      this.seeds = seeds.clone();
      this.from = new int[this.names.length];
      this.to = new int[this.names.length];
      this.hashes = new long[this.names.length];
      this.seen = new int[this.names.length];
    }

    void clear() {
      Arrays.fill(seen, 0);
    }

    /** A root member: its decoded key, value bytes in the input, canonical value text. */
    void member(
        byte[] keys, int keyOffset, int keyLength, int in, int inEnd, byte[] out, int at, int n) {
      for (int i = 0; i < names.length; i++) {
        byte[] name = names[i];
        if (name.length == keyLength
            && Arrays.equals(name, 0, keyLength, keys, keyOffset, keyOffset + keyLength)) {
          if (seen[i]++ == 0) { // a repeated key: jsonb keeps the last copy; found() says no
            from[i] = in;
            to[i] = inEnd;
            hashes[i] = PgHash.bytes(out, at, n, seeds[i]);
          }
        }
      }
    }

    /** The document was an object that held member {@code i} exactly once. */
    public boolean found(int i) {
      return seen[i] == 1;
    }

    /** Where member {@code i}'s value starts in the hashed array. */
    public int from(int i) {
      return from[i];
    }

    /** Where member {@code i}'s value ends in the hashed array. */
    public int to(int i) {
      return to[i];
    }

    /** The hash of member {@code i}'s value, with its seed. */
    public long hash(int i) {
      return hashes[i];
    }
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
