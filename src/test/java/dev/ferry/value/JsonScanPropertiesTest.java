package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The fast JSON classification ({@link JsonScan}) against the reference (Jackson's parser, {@code
 * JsonText.classifyByParser}): on any text, well-formed or broken, the fast path either says it is
 * not sure or answers exactly what the parser answers; on plain JSON it is sure, so it is used.
 */
class JsonScanPropertiesTest {
  private static final String[] ODD_SCALARS = {
    "01",
    "-",
    "1.",
    ".5",
    "1e",
    "+1",
    "NaN",
    "Infinity",
    "tru",
    "nulls",
    "1.5e+",
    "--1",
    "0x10",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\x\"",
    "\"tab\there\"",
    "\"\\u12g4\"",
    "'single'",
    "1 2",
  };
  private static final String[] SPACES = {"", " ", "\n", "\t", "\r\n", "  "};
  private static final String[] ODD_SPACES = {"\f", "\u00a0", "\u000b", "/* c */"};

  @Property(tries = 3000)
  void fastPathNeverDisagreesWithTheParser(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] text = mutate(r, json(r, 0, true).getBytes(StandardCharsets.UTF_8));
    int fast = JsonScan.classify(text);
    if (fast != JsonScan.UNSURE) {
      assertThat(fast)
          .as("%s", new String(text, StandardCharsets.UTF_8))
          .isEqualTo(JsonText.classifyByParser(text));
    }
  }

  @Property(tries = 1000)
  void plainJsonTakesTheFastPath(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] text = json(r, 0, false).getBytes(StandardCharsets.UTF_8);
    int reference = JsonText.classifyByParser(text);
    assertThat(reference).isNotEqualTo(JsonText.INVALID);
    assertThat(JsonScan.classify(text))
        .as("%s", new String(text, StandardCharsets.UTF_8))
        .isEqualTo(reference);
  }

  /** A JSON value; with {@code odd}, now and then something the parser may refuse or repair. */
  private static String json(Random r, int depth, boolean odd) {
    int pick = r.nextInt(depth > 4 ? 5 : 8);
    if (odd && r.nextInt(12) == 0) {
      return ODD_SCALARS[r.nextInt(ODD_SCALARS.length)];
    }
    return switch (pick) {
      case 0 -> Long.toString(r.nextLong() >> r.nextInt(64));
      case 1 -> number(r);
      case 2 -> quoted(r, odd);
      case 3 -> new String[] {"true", "false", "null"}[r.nextInt(3)];
      case 4 -> "\"" + "x".repeat(r.nextInt(3)) + "\"";
      case 5, 6 -> object(r, depth, odd);
      default -> array(r, depth, odd);
    };
  }

  private static String object(Random r, int depth, boolean odd) {
    StringBuilder s = new StringBuilder("{").append(space(r, odd));
    int n = r.nextInt(6);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        s.append(',').append(space(r, odd));
      }
      String key = odd && r.nextInt(6) == 0 ? quoted(r, true) : "\"k" + k + "\"";
      if (odd && k > 0 && r.nextInt(8) == 0) {
        key = "\"k0\""; // a duplicate key
      }
      s.append(key).append(space(r, odd)).append(':').append(space(r, odd));
      s.append(json(r, depth + 1, odd)).append(space(r, odd));
    }
    if (odd && n > 0 && r.nextInt(15) == 0) {
      s.append(',');
    }
    return s.append('}').toString();
  }

  private static String array(Random r, int depth, boolean odd) {
    StringBuilder s = new StringBuilder("[").append(space(r, odd));
    int n = r.nextInt(6);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        s.append(',').append(space(r, odd));
      }
      s.append(json(r, depth + 1, odd)).append(space(r, odd));
    }
    return s.append(']').toString();
  }

  private static String number(Random r) {
    StringBuilder s = new StringBuilder();
    if (r.nextBoolean()) {
      s.append('-');
    }
    s.append(r.nextInt(5) == 0 ? "0" : Integer.toString(1 + r.nextInt(100_000)));
    if (r.nextBoolean()) {
      s.append('.').append(r.nextInt(1000));
    }
    if (r.nextInt(4) == 0) {
      s.append(r.nextBoolean() ? 'e' : 'E')
          .append(new String[] {"", "+", "-"}[r.nextInt(3)])
          .append(r.nextInt(400));
    }
    return s.toString();
  }

  private static String quoted(Random r, boolean odd) {
    StringBuilder s = new StringBuilder("\"");
    int n = r.nextInt(8);
    for (int k = 0; k < n; k++) {
      switch (r.nextInt(odd ? 10 : 7)) {
        case 0 -> s.append("\\n");
        case 1 -> s.append("\\\"").append("\\\\").append("\\/");
        case 2 -> s.append(String.format("\\u%04x", 0x20 + r.nextInt(0xd000)));
        case 3 -> s.append("é€😀");
        case 7 -> s.append("\\u0000");
        case 8 -> s.append(String.format("\\u%04X", 0xd800 + r.nextInt(0x800)));
        case 9 -> s.append((char) r.nextInt(0x20));
        default -> s.append((char) ('a' + r.nextInt(26)));
      }
    }
    return s.append('"').toString();
  }

  private static String space(Random r, boolean odd) {
    if (odd && r.nextInt(40) == 0) {
      return ODD_SPACES[r.nextInt(ODD_SPACES.length)];
    }
    return SPACES[r.nextInt(SPACES.length)];
  }

  /** Now and then a damaged copy: a byte changed, cut short, a NUL or an invalid UTF-8 byte. */
  private static byte[] mutate(Random r, byte[] b) {
    if (b.length == 0 || r.nextInt(3) != 0) {
      return b;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = r.nextInt(b.length);
    switch (r.nextInt(4)) {
      case 0 -> {
        out.write(b, 0, at);
        out.write("{}[],:\"\\0 x\u0000".charAt(r.nextInt(12)));
        out.write(b, at + 1, b.length - at - 1);
      }
      case 1 -> out.write(b, 0, at);
      case 2 -> {
        out.write(b, 0, at);
        out.write(0xff);
        out.write(b, at, b.length - at);
      }
      default -> {
        out.write(b, 0, at);
        out.write(0xc3);
        out.write(b, at, b.length - at);
      }
    }
    return out.toByteArray();
  }
}
