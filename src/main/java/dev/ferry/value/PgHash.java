package dev.ferry.value;

/**
 * PostgreSQL's seeded 64-bit hash functions, bit for bit: {@code hashtextextended}, {@code
 * hashint4extended}, {@code hashint8extended}, {@code hashfloat8extended} (all built on Bob
 * Jenkins' lookup3 as PostgreSQL uses it on little-endian machines). Both sides of a checksum
 * compute them, Ferry here and the server with its own functions, so no bytes need to be
 * concatenated or digested. Checked against a live server in PgHashTest.
 */
public final class PgHash {
  private static final int GOLDEN = 0x9e3779b9 + 3923095;

  private PgHash() {}

  /** hash_bytes_extended: what hashtextextended computes over a text's bytes. */
  public static long bytes(byte[] k, int off, int len, long seed) {
    return lookup3(k, off, len, seed, 0);
  }

  /** hash_bytes_uint32_extended: hashint4extended, and int2, bool and date through it. */
  public static long uint32(int k, long seed) {
    return lookup3(null, 0, 4, seed, k & 0xffffffffL);
  }

  /**
   * lookup3 over {@code len} bytes of {@code k} from {@code off}; with {@code k} null, over the
   * little-endian bytes of {@code word} (4 or 8 of them, as {@code len} says). The state lives in
   * local variables: {@code bin/ferry} runs migrations with C1 only, which has no escape analysis,
   * so a state object would be allocated for every value hashed.
   */
  private static long lookup3(byte[] k, int off, int len, long seed, long word) {
    int a = GOLDEN + len;
    int b = a;
    int c = a;
    int p = off;
    int n = k == null ? 0 : len;
    boolean seeding = seed != 0; // the seed counts as a 12-byte chunk: its two words and zeros
    while (seeding || n >= 12) {
      if (seeding) {
        a += (int) (seed >>> 32);
        b += (int) seed;
        seeding = false;
      } else {
        // the three little-endian words read here, not through a method: C1 (bin/ferry's only
        // compiler) did not inline one, so every four bytes of every hashed value paid a call
        a +=
            (k[p] & 0xff)
                | (k[p + 1] & 0xff) << 8
                | (k[p + 2] & 0xff) << 16
                | (k[p + 3] & 0xff) << 24;
        b +=
            (k[p + 4] & 0xff)
                | (k[p + 5] & 0xff) << 8
                | (k[p + 6] & 0xff) << 16
                | (k[p + 7] & 0xff) << 24;
        c +=
            (k[p + 8] & 0xff)
                | (k[p + 9] & 0xff) << 8
                | (k[p + 10] & 0xff) << 16
                | (k[p + 11] & 0xff) << 24;
        p += 12;
        n -= 12;
      }
      // mix(a, b, c)
      a -= c;
      a ^= Integer.rotateLeft(c, 4);
      c += b;
      b -= a;
      b ^= Integer.rotateLeft(a, 6);
      a += c;
      c -= b;
      c ^= Integer.rotateLeft(b, 8);
      b += a;
      a -= c;
      a ^= Integer.rotateLeft(c, 16);
      c += b;
      b -= a;
      b ^= Integer.rotateLeft(a, 19);
      a += c;
      c -= b;
      c ^= Integer.rotateLeft(b, 4);
      b += a;
    }
    if (k == null) {
      a += (int) word;
      b += (int) (word >>> 32);
    } else {
      // the last 0..11 bytes, little-endian; the lowest byte of c is left for the length
      for (int i = n - 1; i >= 0; i--) {
        int v = k[p + i] & 0xff;
        if (i >= 8) {
          c += v << (8 * (i - 7));
        } else if (i >= 4) {
          b += v << (8 * (i - 4));
        } else {
          a += v << (8 * i);
        }
      }
    }
    // final(a, b, c)
    c ^= b;
    c -= Integer.rotateLeft(b, 14);
    a ^= c;
    a -= Integer.rotateLeft(c, 11);
    b ^= a;
    b -= Integer.rotateLeft(a, 25);
    c ^= b;
    c -= Integer.rotateLeft(b, 16);
    a ^= c;
    a -= Integer.rotateLeft(c, 4);
    b ^= a;
    b -= Integer.rotateLeft(a, 14);
    c ^= b;
    c -= Integer.rotateLeft(b, 24);
    return ((long) b << 32) | (c & 0xffffffffL);
  }

  /** hashint8extended, which timestamptz hashes through as well. */
  public static long int8(long v, long seed) {
    int lo = (int) v;
    int hi = (int) (v >>> 32);
    lo ^= v >= 0 ? hi : ~hi;
    return uint32(lo, seed);
  }

  /** hashfloat8extended: zero (of either sign) hashes to the seed. */
  public static long float8(double d, long seed) {
    if (d == 0.0) {
      return seed;
    }
    return lookup3(null, 0, 8, seed, Double.doubleToRawLongBits(d));
  }
}
