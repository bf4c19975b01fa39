package dev.ferry.value;

/** UTF-8 checks done on raw bytes, without decoding to String. */
public final class Utf8 {
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_BITS = 0x0101010101010101L;

  private Utf8() {}

  /**
   * Number of characters (code points) in {@code b} when it is valid UTF-8 without NUL, which is
   * exactly what PostgreSQL text can hold; -1 otherwise.
   */
  public static int pgTextLength(byte[] b) {
    int chars = 0;
    int i = 0;
    int n = b.length;
    while (i < n) {
      if (i + 8 <= n) { // eight ASCII bytes at a time: no high bit set and no zero byte
        long w = (long) LONGS.get(b, i);
        if ((w & HIGH_BITS) == 0 && ((w - LOW_BITS) & ~w & HIGH_BITS) == 0) {
          i += 8;
          chars += 8;
          continue;
        }
      }
      int c = b[i] & 0xff;
      if (c < 0x80) {
        if (c == 0) {
          return -1;
        }
        i++;
      } else if (c >= 0xc2 && c <= 0xdf) {
        if (i + 1 >= n || !cont(b[i + 1])) {
          return -1;
        }
        i += 2;
      } else if (c >= 0xe0 && c <= 0xef) {
        if (i + 2 >= n || !cont(b[i + 1]) || !cont(b[i + 2])) {
          return -1;
        }
        int c1 = b[i + 1] & 0xff;
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f)) {
          return -1; // overlong, or a UTF-16 surrogate
        }
        i += 3;
      } else if (c >= 0xf0 && c <= 0xf4) {
        if (i + 3 >= n || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
          return -1;
        }
        int c1 = b[i + 1] & 0xff;
        if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f)) {
          return -1;
        }
        i += 4;
      } else {
        return -1;
      }
      chars++;
    }
    return chars;
  }

  private static boolean cont(byte b) {
    return (b & 0xc0) == 0x80;
  }
}
