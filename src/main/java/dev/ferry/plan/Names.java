package dev.ferry.plan;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * PostgreSQL names for source names. By default ASCII letters are lower-cased, matching both SQLite
 * (names are case-insensitive for ASCII) and PostgreSQL (unquoted names fold to lower case), so
 * application queries keep working; {@code --keep-case} keeps names as written. Names longer than
 * PostgreSQL's 63 bytes are cut at a character boundary and given a hash suffix so two long names
 * never collide silently. Every name is quoted in generated SQL.
 */
public final class Names {
  static final int MAX_BYTES = 63;

  private final boolean keepCase;
  private final Set<String> relations = new HashSet<>();

  Names(boolean keepCase) {
    this.keepCase = keepCase;
  }

  /** The target spelling of a source name, within 63 bytes. */
  String target(String sourceName) {
    String n = keepCase ? sourceName : lowerAscii(sourceName);
    return fit(n, sourceName);
  }

  /**
   * Reserves a relation name (table, view, index) in the schema's namespace: the wanted name when
   * free, else the name with {@code _2}, {@code _3}… appended (still within 63 bytes).
   */
  String reserve(String wanted) {
    String name = fit(wanted, wanted);
    for (int i = 2; !relations.add(name); i++) {
      String suffix = "_" + i;
      name = cut(wanted, MAX_BYTES - suffix.length()) + suffix;
    }
    return name;
  }

  static String lowerAscii(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return b.toString();
  }

  private static String fit(String name, String original) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return name;
    }
    CRC32 crc = new CRC32();
    crc.update(original.getBytes(StandardCharsets.UTF_8));
    String suffix = String.format(Locale.ROOT, "_%08x", crc.getValue());
    return cut(name, MAX_BYTES - suffix.length()) + suffix;
  }

  private static String cut(String s, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > maxBytes) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }
}
