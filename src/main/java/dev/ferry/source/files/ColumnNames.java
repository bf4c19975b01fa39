package dev.ferry.source.files;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Column names for a table's JSON fields: snake_case, at most 63 bytes, unique. Two fields that
 * normalise (or cut) to the same name never merge: the later one gets a numbered name and a note
 * says so. Deterministic: the same fields in the same order always get the same names.
 */
final class ColumnNames {
  static final int MAX_BYTES = 63;

  private final String table;
  private final Map<String, String> byField = new HashMap<>();
  private final Set<String> taken = new HashSet<>();
  private final List<String> notes;

  ColumnNames(String table, List<String> reserved, List<String> notes) {
    this.table = table;
    this.taken.addAll(reserved);
    this.notes = notes;
  }

  /** The column of {@code field}, named on first sight. */
  String of(String field) {
    String known = byField.get(field);
    if (known != null) {
      return known;
    }
    String base = cut(snake(field));
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = cut(base + "_" + n, "_" + n);
    }
    if (!name.equals(base)) {
      notes.add(
          String.format(
              "table %s: field \"%s\" is column %s (%s was taken by another field or column)",
              table, field, name, base));
    } else if (!base.equals(snake(field))) {
      notes.add(
          String.format(
              "table %s: field \"%s\" is column %s (names are cut to %d bytes)",
              table, field, name, MAX_BYTES));
    }
    taken.add(name);
    byField.put(field, name);
    return name;
  }

  /** userId, User Name, created-at → user_id, user_name, created_at; never empty. */
  static String snake(String field) {
    StringBuilder s = new StringBuilder();
    int[] cps = field.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (Character.isLetterOrDigit(c)) {
        boolean upper = Character.isUpperCase(c);
        if (upper && i > 0 && s.length() > 0 && s.charAt(s.length() - 1) != '_') {
          int prev = cps[i - 1];
          boolean nextLower = i + 1 < cps.length && Character.isLowerCase(cps[i + 1]);
          if (Character.isLowerCase(prev)
              || Character.isDigit(prev)
              || (Character.isUpperCase(prev) && nextLower)) {
            s.append('_');
          }
        }
        s.appendCodePoint(upper ? Character.toLowerCase(c) : c);
      } else if (s.length() > 0 && s.charAt(s.length() - 1) != '_') {
        s.append('_');
      }
    }
    while (s.length() > 0 && s.charAt(s.length() - 1) == '_') {
      s.setLength(s.length() - 1);
    }
    String r = s.toString().toLowerCase(Locale.ROOT);
    if (r.isEmpty()) {
      return "field";
    }
    return Character.isDigit(r.charAt(0)) ? "f_" + r : r;
  }

  private static String cut(String name) {
    return cut(name, "");
  }

  /** Cuts to 63 bytes keeping {@code suffix}; a cut name ends in a hash of the whole name. */
  private static String cut(String name, String suffix) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return name;
    }
    String hash = String.format("_%08x", name.hashCode());
    String head = name.substring(0, name.length() - suffix.length());
    int budget = MAX_BYTES - hash.length() - suffix.length();
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < head.length(); ) {
      int cp = head.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > budget) {
        break;
      }
      b.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return b + hash + suffix;
  }
}
