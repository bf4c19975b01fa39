package dev.ferry.load;

import dev.ferry.plan.PgType;
import dev.ferry.value.JsonText;
import dev.ferry.value.JsonbText;
import dev.ferry.value.PgHash;
import dev.ferry.value.TableChecksum;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Hashes an encoded row (its COPY fields) as the server hashes the stored row: the XOR of each
 * field's seeded PostgreSQL hash (seed = position + 1), NULL as a constant per position. jsonb is
 * hashed as its canonical text, numeric as its text, bytea as hex, as verify.ChecksumSql asks the
 * server to. Works on the bytes alone, so it can run on another thread than the reader.
 *
 * <p>For the jsonb columns a one-pass load asks it to ({@link #checkingJson}), it also makes the
 * profile's JSON check while it canonicalizes each document: {@link #jsonHeld} turns false at the
 * first document the profile's {@link JsonText#classify} would not call plain JSON (a repeated key,
 * anything jsonb repairs or refuses), and a document jsonb refuses throws.
 */
final class RowHasher {
  private final PgType.Kind[] kinds;
  private final long[] nulls;
  private boolean[] checkJson;
  private boolean jsonHeld = true;

  /** The jsonb doc whose top-level members some columns hold ({@link #takingFromDoc}); -1: none. */
  private int doc = -1;

  /** Per column: its index in {@link #members} when it is such a member, else -1. */
  private int[] member;

  private JsonbText.Members members;
  private int[] deferredAt;
  private int[] deferredLength;

  /** How many column values were hashed from their doc's pass (for tests and profiles). */
  long takenFromDoc;

  RowHasher(PgType.Kind[] kinds) {
    this.kinds = kinds.clone();
    this.nulls = new long[kinds.length];
    this.checkJson = new boolean[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      nulls[i] = TableChecksum.nullHash(i);
    }
  }

  /**
   * Makes the profile's JSON check of the jsonb columns flagged in {@code columns} (by position).
   */
  RowHasher checkingJson(boolean[] columns) {
    checkJson = columns.clone();
    return this;
  }

  /**
   * Columns {@code fields} (by position) hold top-level fields of the jsonb document in column
   * {@code doc} (the load's columns taken from the doc: {@code ColumnPlan.fromDoc}). Their hash is
   * then taken from the doc's canonicalization when, and only when, the column's bytes equal the
   * bytes of that field's value in the doc: the same bytes canonicalize to the same text, so the
   * hash is the column's own, and a column that differs (a corrupted staged value) is hashed as
   * itself. Saves canonicalizing and hashing the same JSON twice per row.
   */
  RowHasher takingFromDoc(int doc, Map<Integer, String> fields) {
    if (doc < 0 || fields.isEmpty() || kinds[doc] != PgType.Kind.JSONB) {
      return this;
    }
    this.doc = doc;
    this.member = new int[kinds.length];
    Arrays.fill(member, -1);
    List<String> names = new ArrayList<>();
    long[] seeds = new long[fields.size()];
    for (Map.Entry<Integer, String> f : fields.entrySet()) {
      if (f.getKey() != doc && kinds[f.getKey()] == PgType.Kind.JSONB) {
        member[f.getKey()] = names.size();
        seeds[names.size()] = f.getKey() + 1L;
        names.add(f.getValue());
      }
    }
    this.members = new JsonbText.Members(names, Arrays.copyOf(seeds, names.size()));
    this.deferredAt = new int[kinds.length];
    this.deferredLength = new int[kinds.length];
    return this;
  }

  /**
   * False once a checked jsonb document was not plain JSON as the profile's check judges it: the
   * table's profile, which skipped that check, may be wrong.
   */
  boolean jsonHeld() {
    return jsonHeld;
  }

  /** The 64-bit hash of the row whose fields are {@code b[off, off + len)}. */
  long hash(byte[] b, int off, int len) {
    if (doc >= 0) {
      return hashTakingFromDoc(b, off);
    }
    long h = 0;
    int p = off;
    for (int i = 0; i < kinds.length; i++) {
      int n = int32(b, p);
      p += 4;
      if (n < 0) {
        h ^= nulls[i];
        continue;
      }
      h ^= field(kinds[i], b, p, n, i + 1);
      if (checkJson[i] && jsonHeld && !JsonbText.plain()) {
        jsonHeld = plainAsProfiled(b, p + 1, n - 1);
      }
      p += n;
    }
    return h;
  }

  /**
   * {@link #hash} when columns hold fields of the doc: those columns wait until the doc has been
   * hashed (reporting its members), then take the member's hash if their bytes are the member's.
   */
  private long hashTakingFromDoc(byte[] b, int off) {
    long h = 0;
    int p = off;
    int docAt = -1;
    boolean docPlain = false;
    for (int i = 0; i < kinds.length; i++) {
      int n = int32(b, p);
      p += 4;
      deferredLength[i] = n;
      if (n < 0) {
        h ^= nulls[i];
        continue;
      }
      if (member[i] >= 0) {
        deferredAt[i] = p; // after the doc
      } else if (i == doc) {
        h ^= JsonbText.hash(b, p + 1, n - 1, i + 1, members);
        docAt = p + 1;
        docPlain = JsonbText.plain();
        if (checkJson[i] && jsonHeld && !docPlain) {
          jsonHeld = plainAsProfiled(b, p + 1, n - 1);
        }
      } else {
        h ^= field(kinds[i], b, p, n, i + 1);
        if (checkJson[i] && jsonHeld && !JsonbText.plain()) {
          jsonHeld = plainAsProfiled(b, p + 1, n - 1);
        }
      }
      p += n;
    }
    for (int i = 0; i < kinds.length; i++) {
      int m = member[i];
      int n = deferredLength[i];
      if (m < 0 || n < 0) {
        continue;
      }
      int at = deferredAt[i] + 1; // after the version byte
      boolean plain;
      if (docAt >= 0
          && members.found(m)
          && Arrays.equals(b, at, at + n - 1, b, members.from(m), members.to(m))) {
        h ^= members.hash(m);
        takenFromDoc++;
        plain = docPlain; // a plain document's members are plain
      } else {
        h ^= JsonbText.hash(b, at, n - 1, i + 1);
        plain = JsonbText.plain();
      }
      if (checkJson[i] && jsonHeld && !plain) {
        jsonHeld = plainAsProfiled(b, at, n - 1);
      }
    }
    return h;
  }

  private static long field(PgType.Kind kind, byte[] b, int p, int n, long seed) {
    return switch (kind) {
      case BOOLEAN -> PgHash.uint32(b[p], seed);
      case SMALLINT -> PgHash.uint32((short) (((b[p] & 0xff) << 8) | (b[p + 1] & 0xff)), seed);
      case INTEGER, DATE -> PgHash.uint32(int32(b, p), seed);
      case BIGINT, TIMESTAMPTZ -> PgHash.int8(int64(b, p), seed);
      case DOUBLE -> PgHash.float8(Double.longBitsToDouble(int64(b, p)), seed);
      case TEXT, VARCHAR -> PgHash.bytes(b, p, n, seed);
      case BYTEA -> text(HexFormat.of().formatHex(b, p, p + n), seed);
      case NUMERIC -> text(numericText(b, p), seed);
      case JSONB -> JsonbText.hash(b, p + 1, n - 1, seed); // after the version byte
    };
  }

  /** What the profile's check concludes for a document the canonicalizer cannot vouch for. */
  private static boolean plainAsProfiled(byte[] b, int off, int len) {
    int kind = JsonText.classify(Arrays.copyOfRange(b, off, off + len));
    return kind != JsonText.INVALID && (kind & JsonText.REPAIRABLE) == 0;
  }

  private static long text(String s, long seed) {
    byte[] t = s.getBytes(StandardCharsets.UTF_8);
    return PgHash.bytes(t, 0, t.length, seed);
  }

  /** numeric_out of a binary numeric: plain notation with its display scale. */
  static String numericText(byte[] b, int p) {
    int ndigits = int16(b, p);
    int weight = (short) int16(b, p + 2);
    int sign = int16(b, p + 4);
    int dscale = int16(b, p + 6);
    if (sign == 0xD000) {
      return "Infinity";
    }
    if (sign == 0xF000) {
      return "-Infinity";
    }
    if (sign == 0xC000) {
      return "NaN";
    }
    BigInteger unscaled = BigInteger.ZERO;
    for (int i = 0; i < ndigits; i++) {
      unscaled =
          unscaled
              .multiply(BigInteger.valueOf(10_000))
              .add(BigInteger.valueOf(int16(b, p + 8 + 2 * i)));
    }
    BigDecimal v = new BigDecimal(unscaled, 4 * (ndigits - 1 - weight));
    v = v.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
    return (sign == 0x4000 ? v.negate() : v).toPlainString();
  }

  private static int int16(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  private static int int32(byte[] b, int p) {
    return ((b[p] & 0xff) << 24)
        | ((b[p + 1] & 0xff) << 16)
        | ((b[p + 2] & 0xff) << 8)
        | (b[p + 3] & 0xff);
  }

  private static long int64(byte[] b, int p) {
    return ((long) int32(b, p) << 32) | (int32(b, p + 4) & 0xffffffffL);
  }
}
