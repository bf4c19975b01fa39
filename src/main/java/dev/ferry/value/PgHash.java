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
    State s = new State(len, seed);
    int p = off;
    int n = len;
    while (n >= 12) {
      s.a += word(k, p);
      s.b += word(k, p + 4);
      s.c += word(k, p + 8);
      s.mix();
      p += 12;
      n -= 12;
    }
    // the last 0..11 bytes, little-endian; the lowest byte of c is left for the length
    for (int i = n - 1; i >= 0; i--) {
      int v = k[p + i] & 0xff;
      if (i >= 8) {
        s.c += v << (8 * (i - 7));
      } else if (i >= 4) {
        s.b += v << (8 * (i - 4));
      } else {
        s.a += v << (8 * i);
      }
    }
    return s.result();
  }

  /** hash_bytes_uint32_extended: hashint4extended, and int2, bool and date through it. */
  public static long uint32(int k, long seed) {
    State s = new State(4, seed);
    s.a += k;
    return s.result();
  }

  /** lookup3's three words of state, set up for a key of {@code length} bytes and a seed. */
  private static final class State {
    int a;
    int b;
    int c;

    State(int length, long seed) {
      a = GOLDEN + length;
      b = a;
      c = a;
      if (seed != 0) { // the seed counts as a 12-byte chunk of data: its two words and zeros
        a += (int) (seed >>> 32);
        b += (int) seed;
        mix();
      }
    }

    void mix() {
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

    long result() {
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
}
