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
    int a = GOLDEN + len;
    int b = a;
    int c = a;
    if (seed != 0) {
      a += (int) (seed >>> 32);
      b += (int) seed;
      // mix
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
    int p = off;
    int n = len;
    while (n >= 12) {
      a += word(k, p);
      b += word(k, p + 4);
      c += word(k, p + 8);
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
      p += 12;
      n -= 12;
    }
    // the last 0..11 bytes, little-endian; the lowest byte of c is left for the length
    if (n >= 11) {
      c += (k[p + 10] & 0xff) << 24;
    }
    if (n >= 10) {
      c += (k[p + 9] & 0xff) << 16;
    }
    if (n >= 9) {
      c += (k[p + 8] & 0xff) << 8;
    }
    if (n >= 8) {
      b += (k[p + 7] & 0xff) << 24;
    }
    if (n >= 7) {
      b += (k[p + 6] & 0xff) << 16;
    }
    if (n >= 6) {
      b += (k[p + 5] & 0xff) << 8;
    }
    if (n >= 5) {
      b += k[p + 4] & 0xff;
    }
    if (n >= 4) {
      a += (k[p + 3] & 0xff) << 24;
    }
    if (n >= 3) {
      a += (k[p + 2] & 0xff) << 16;
    }
    if (n >= 2) {
      a += (k[p + 1] & 0xff) << 8;
    }
    if (n >= 1) {
      a += k[p] & 0xff;
    }
    return fin(a, b, c);
  }

  /** hash_bytes_uint32_extended: hashint4extended, and int2, bool and date through it. */
  public static long uint32(int k, long seed) {
    int a = GOLDEN + 4;
    int b = a;
    int c = a;
    if (seed != 0) {
      a += (int) (seed >>> 32);
      b += (int) seed;
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
    a += k;
    return fin(a, b, c);
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
    long bits = Double.doubleToRawLongBits(d);
    byte[] le = new byte[8];
    for (int i = 0; i < 8; i++) {
      le[i] = (byte) (bits >>> (8 * i));
    }
    return bytes(le, 0, 8, seed);
  }

  private static int word(byte[] k, int p) {
    return (k[p] & 0xff)
        | (k[p + 1] & 0xff) << 8
        | (k[p + 2] & 0xff) << 16
        | (k[p + 3] & 0xff) << 24;
  }

  private static long fin(int a, int b, int c) {
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
}
