package dev.ferry.value;

import java.util.Random;

/**
 * Generated JSON texts meant to break a jsonb canonicalizer: repeated keys (also spelled once
 * plainly and once with a unicode escape), keys of equal byte length in any order, every escape,
 * surrogate pairs, raw UTF-8, numbers with and without exponents up to numeric's limits, negative
 * zeros, odd whitespace, and now and then something jsonb refuses ({@code \u0000}, a lone
 * surrogate, a leading zero, a trailing comma, a number beyond numeric's range).
 */
final class HostileJson {
  private static final String[] KEYS = {
    "",
    "a",
    "\\u0061",
    "b",
    "ab",
    "ba",
    "é",
    "\\u00e9",
    "zz",
    "日",
    "😀",
    "\\ud83d\\ude00",
    "key",
    "Key",
    "a b",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "/",
    "created_at",
    "id",
    "media",
    "text"
  };
  private static final String[] PIECES = {
    "a",
    "Z",
    "key",
    " ",
    "é",
    "日本",
    "😀",
    "~",
    "\u007f",
    "\\n",
    "\\t",
    "\\b",
    "\\f",
    "\\r",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u0001",
    "\\u001f",
    "\\u001F",
    "\\u007f",
    "\\u00e9",
    "\\u00E9",
    "\\u65e5",
    "\\ud83d\\ude00",
    "\\uD83D\\uDE00",
    "\\u0020",
    "\\u0022",
    "\\u005c"
  };
  private static final String[] REFUSED_PIECES = {
    "\\u0000", "\\ud83d", "\\ude00", "\\ud83dx", "\\x", "\u0001", "\\u12", "\\ud83d\\u0041"
  };
  private static final String[] SPACE = {"", "", "", " ", "\n", "\t", "\r\n", "  "};

  private final Random random;
  private final double refusals;

  /** {@code refusals}: the chance that a generated token is one jsonb refuses. */
  HostileJson(Random random, double refusals) {
    this.random = random;
    this.refusals = refusals;
  }

  String document() {
    return space() + value(random.nextInt(5)) + space();
  }

  String value(int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 6);
    return switch (kind) {
      case 0, 1 -> number();
      case 2 -> string();
      case 3 -> random.nextBoolean() ? "true" : "null";
      case 4 -> random.nextBoolean() ? "false" : refused() ? "nul" : "true";
      case 5 -> random.nextBoolean() ? "{}" : "[]";
      case 6, 7 -> object(depth);
      default -> array(depth);
    };
  }

  private String object(int depth) {
    StringBuilder s = new StringBuilder("{");
    int n = random.nextInt(random.nextInt(5) == 0 ? 30 : 6);
    for (int i = 0; i < n; i++) {
      s.append(i > 0 ? "," : "").append(space());
      s.append('"').append(KEYS[random.nextInt(KEYS.length)]).append('"');
      s.append(space()).append(refused() ? "" : ":").append(space()).append(value(depth - 1));
      s.append(space());
    }
    return s.append(n > 0 && refused() ? ",}" : "}").toString();
  }

  private String array(int depth) {
    StringBuilder s = new StringBuilder("[");
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      s.append(i > 0 ? "," : "").append(space()).append(value(depth - 1)).append(space());
    }
    return s.append(']').toString();
  }

  private String string() {
    StringBuilder s = new StringBuilder("\"");
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      s.append(
          refused()
              ? REFUSED_PIECES[random.nextInt(REFUSED_PIECES.length)]
              : PIECES[random.nextInt(PIECES.length)]);
    }
    return s.append('"').toString();
  }

  /** Numbers of every form JSON allows, big and small, and a few jsonb refuses. */
  String number() {
    StringBuilder s = new StringBuilder();
    if (random.nextInt(3) == 0) {
      s.append('-');
    }
    switch (random.nextInt(4)) {
      case 0 -> s.append('0');
      case 1 -> s.append(1 + random.nextInt(9));
      default -> s.append(1 + random.nextInt(9)).append(digits(random.nextInt(30)));
    }
    if (refused()) {
      s.insert(s.length() - 1, '0'); // a leading zero, or "-" followed by "0x"
    }
    if (random.nextBoolean()) {
      s.append('.').append(random.nextInt(3) == 0 ? "000" : digits(1 + random.nextInt(20)));
    }
    if (random.nextInt(3) == 0) {
      s.append(random.nextBoolean() ? 'e' : 'E');
      s.append(new String[] {"", "+", "-"}[random.nextInt(3)]);
      s.append(random.nextInt(4) == 0 ? "00" : "");
      s.append(random.nextInt(10) == 0 ? 16370 + random.nextInt(30) : random.nextInt(60));
    }
    return s.toString();
  }

  private String digits(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append((char) ('0' + random.nextInt(10)));
    }
    return s.toString();
  }

  private String space() {
    return SPACE[random.nextInt(SPACE.length)];
  }

  private boolean refused() {
    return random.nextDouble() < refusals;
  }
}
