package dev.ferry.target;

import dev.ferry.value.JsonbText;
import dev.ferry.verify.TableChecksum;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Hashes encoded rows (COPY fields) by their canonical encoding: the fields as they are, except
 * that a jsonb field's JSON text is replaced by PostgreSQL's canonical jsonb text. Works on the
 * bytes alone, so it can run on another thread than the one reading the source.
 */
final class RowHasher {
  private final boolean[] jsonb;
  private final boolean anyJsonb;
  private final MessageDigest md5;

  RowHasher(boolean[] jsonb) {
    this.jsonb = jsonb.clone();
    boolean any = false;
    for (boolean j : jsonb) {
      any |= j;
    }
    this.anyJsonb = any;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }

  /** The 64-bit hash of the row whose fields are {@code b[off, off + len)}. */
  long hash(byte[] b, int off, int len) {
    if (!anyJsonb) {
      md5.update(b, off, len);
      return TableChecksum.rowHash(md5.digest());
    }
    int from = off;
    int p = off;
    for (boolean isJson : jsonb) {
      int n =
          ((b[p] & 0xff) << 24)
              | ((b[p + 1] & 0xff) << 16)
              | ((b[p + 2] & 0xff) << 8)
              | (b[p + 3] & 0xff);
      int next = p + 4 + Math.max(n, 0);
      if (isJson && n > 0) {
        md5.update(b, from, p - from);
        byte[] canonical =
            JsonbText.canonical(Arrays.copyOfRange(b, p + 5, next)); // after the version byte
        int m = canonical.length + 1;
        md5.update(
            new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m, 1});
        md5.update(canonical);
        from = next;
      }
      p = next;
    }
    md5.update(b, from, off + len - from);
    return TableChecksum.rowHash(md5.digest());
  }
}
