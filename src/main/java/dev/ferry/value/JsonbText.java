package dev.ferry.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text PostgreSQL's jsonb prints for a JSON document ({@code jsonb_out}): object keys sorted by
 * byte length then bytes, {@code ", "} and {@code ": "} separators, numbers as numeric prints them,
 * strings escaped as {@code escape_json} does. The canonical value of a jsonb column: two documents
 * are the same jsonb exactly when these texts are equal.
 */
public final class JsonbText {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonbText() {}

  /**
   * The canonical jsonb text of a valid JSON document (see {@link JsonText#classify}): one pass
   * over the bytes, copying strings without escapes and plain numbers as they are; anything unusual
   * takes the exact, slower path through a parsed tree.
   */
  public static byte[] canonical(byte[] json) {
    try {
      byte[] fast = new Canonicalizer(json).run();
      if (fast != null) {
        return fast;
      }
    } catch (RuntimeException e) {
      // unexpected shape: the tree path below is exact and reports real errors
    }
    return canonicalByTree(json);
  }

  /** The same as {@link #canonical}, through Jackson's parser and a tree (the reference). */
  static byte[] canonicalByTree(byte[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 16);
      Node root = read(p, p.nextToken());
      root.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
    }
  }

  private interface Node {
    void write(ByteArrayOutputStream out);
  }

  private static final class Leaf implements Node {
    private final byte[] text;

    Leaf(byte[] text) {
      this.text = text;
    }

    @Override
    public void write(ByteArrayOutputStream out) {
      out.writeBytes(text);
    }
  }

  private record Array(List<Node> items) implements Node {
    @Override
    public void write(ByteArrayOutputStream out) {
      out.write('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.write(',');
          out.write(' ');
        }
        items.get(i).write(out);
      }
      out.write(']');
    }
  }

  private static final class Member {
    final byte[] key;
    final Node value;

    Member(byte[] key, Node value) {
      this.key = key;
      this.value = value;
    }
  }

  private record Obj(List<Member> members) implements Node {
    @Override
    public void write(ByteArrayOutputStream out) {
      Member[] sorted = members.toArray(Member[]::new);
      Arrays.sort(
          sorted,
          (a, b) ->
              a.key.length != b.key.length
                  ? Integer.compare(a.key.length, b.key.length)
                  : Arrays.compareUnsigned(a.key, b.key));
      out.write('{');
      for (int i = 0; i < sorted.length; i++) {
        if (i > 0) {
          out.write(',');
          out.write(' ');
        }
        string(out, sorted[i].key);
        out.write(':');
        out.write(' ');
        sorted[i].value.write(out);
      }
      out.write('}');
    }
  }

  private static Node read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        List<Member> members = new ArrayList<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          byte[] key = p.currentName().getBytes(StandardCharsets.UTF_8);
          members.add(new Member(key, read(p, p.nextToken())));
        }
        return new Obj(members);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          items.add(read(p, v));
        }
        return new Array(items);
      }
      case VALUE_STRING -> {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        string(s, p.getText().getBytes(StandardCharsets.UTF_8));
        return new Leaf(s.toByteArray());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Leaf(number(p.getText()).getBytes(StandardCharsets.US_ASCII));
      }
      case VALUE_TRUE -> {
        return new Leaf(new byte[] {'t', 'r', 'u', 'e'});
      }
      case VALUE_FALSE -> {
        return new Leaf(new byte[] {'f', 'a', 'l', 's', 'e'});
      }
      default -> {
        return new Leaf(new byte[] {'n', 'u', 'l', 'l'});
      }
    }
  }

  /** A JSON number as PostgreSQL's numeric prints it: plain notation, scale kept, no -0. */
  static String number(String text) {
    BigDecimal d = new BigDecimal(text);
    if (d.scale() < 0) {
      d = d.setScale(0);
    }
    String s = d.toPlainString();
    return d.signum() == 0 && s.startsWith("-") ? s.substring(1) : s;
  }

  /** A string quoted and escaped as PostgreSQL's escape_json does. */
  private static void string(ByteArrayOutputStream out, byte[] utf8) {
    out.write('"');
    for (byte b : utf8) {
      int c = b & 0xff;
      switch (c) {
        case '"' -> out.writeBytes(new byte[] {'\\', '"'});
        case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
        case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
        case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
        case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
        case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
        case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
        default -> {
          if (c < 0x20) {
            out.writeBytes(String.format("\\u%04x", c).getBytes(StandardCharsets.US_ASCII));
          } else {
            out.write(c);
          }
        }
      }
    }
    out.write('"');
  }

  /** The one-pass canonicalizer; {@link #run} returns null when a document needs the tree. */
  private static final class Canonicalizer {
    private final byte[] in;
    private int pos;
    private byte[] out;
    private int size;

    Canonicalizer(byte[] in) {
      this.in = in;
      this.out = new byte[in.length + 16];
    }

    byte[] run() {
      if (!value()) {
        return null;
      }
      skipSpace();
      return pos == in.length ? Arrays.copyOf(out, size) : null;
    }

    private boolean value() {
      skipSpace();
      if (pos >= in.length) {
        return false;
      }
      return switch (in[pos]) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string() >= 0;
        case 't' -> literal("true");
        case 'f' -> literal("false");
        case 'n' -> literal("null");
        default -> number();
      };
    }

    private boolean object() {
      int start = size;
      pos++; // {
      skipSpace();
      int[] spans = new int[16];
      int members = 0;
      if (pos < in.length && in[pos] == '}') {
        pos++;
        put((byte) '{');
        put((byte) '}');
        return true;
      }
      while (true) {
        skipSpace();
        if (pos >= in.length || in[pos] != '"') {
          return false;
        }
        int memberStart = size;
        int keyLength = string(); // raw key bytes without escapes, or -1 when escaped
        if (keyLength < 0) {
          return false;
        }
        skipSpace();
        if (pos >= in.length || in[pos] != ':') {
          return false;
        }
        pos++;
        put((byte) ':');
        put((byte) ' ');
        if (!value()) {
          return false;
        }
        if (2 * members + 2 > spans.length) {
          spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[2 * members] = memberStart;
        spans[2 * members + 1] = size;
        members++;
        skipSpace();
        if (pos < in.length && in[pos] == ',') {
          pos++;
          continue;
        }
        if (pos < in.length && in[pos] == '}') {
          pos++;
          break;
        }
        return false;
      }
      // members were written as "key": value back to back; write them again sorted, with separators
      Integer[] order = new Integer[members];
      for (int i = 0; i < members; i++) {
        order[i] = i;
      }
      final int[] sp = spans;
      Arrays.sort(order, (x, y) -> compareKeys(sp[2 * x], sp[2 * y]));
      byte[] members0 = Arrays.copyOfRange(out, start, size);
      size = start;
      put((byte) '{');
      for (int k = 0; k < members; k++) {
        if (k > 0) {
          put((byte) ',');
          put((byte) ' ');
        }
        int i = order[k];
        write(members0, spans[2 * i] - start, spans[2 * i + 1] - spans[2 * i]);
      }
      put((byte) '}');
      return true;
    }

    /** Orders two written keys (at their opening quotes) by byte length, then bytes. */
    private int compareKeys(int a, int b) {
      int la = keyEnd(a) - a - 1;
      int lb = keyEnd(b) - b - 1;
      if (la != lb) {
        return Integer.compare(la, lb);
      }
      return Arrays.compareUnsigned(out, a + 1, a + 1 + la, out, b + 1, b + 1 + lb);
    }

    private int keyEnd(int quote) {
      int i = quote + 1;
      while (out[i] != '"') {
        i++;
      }
      return i;
    }

    private boolean array() {
      pos++; // [
      put((byte) '[');
      skipSpace();
      if (pos < in.length && in[pos] == ']') {
        pos++;
        put((byte) ']');
        return true;
      }
      boolean first = true;
      while (true) {
        if (!first) {
          put((byte) ',');
          put((byte) ' ');
        }
        first = false;
        if (!value()) {
          return false;
        }
        skipSpace();
        if (pos < in.length && in[pos] == ',') {
          pos++;
          continue;
        }
        if (pos < in.length && in[pos] == ']') {
          pos++;
          put((byte) ']');
          return true;
        }
        return false;
      }
    }

    /**
     * Copies a string without escapes; returns its length, or -1 (the tree path handles escapes).
     */
    private int string() {
      int start = pos + 1;
      int i = start;
      while (i < in.length && in[i] != '"') {
        if (in[i] == '\\' || (in[i] & 0xff) < 0x20) {
          return -1;
        }
        i++;
      }
      if (i >= in.length) {
        return -1;
      }
      put((byte) '"');
      write(in, start, i - start);
      put((byte) '"');
      pos = i + 1;
      return i - start;
    }

    private boolean literal(String word) {
      int n = word.length();
      if (pos + n > in.length) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (in[pos + i] != word.charAt(i)) {
          return false;
        }
      }
      write(in, pos, n);
      pos += n;
      return true;
    }

    /** Copies a plain number; exponents and negative zero go through numeric's rules. */
    private boolean number() {
      int start = pos;
      boolean plain = true;
      boolean nonZeroDigit = false;
      while (pos < in.length) {
        byte c = in[pos];
        if (c >= '1' && c <= '9') {
          nonZeroDigit = true;
        } else if (c == 'e' || c == 'E' || c == '+') {
          plain = false;
        } else if (c != '-' && c != '.' && c != '0') {
          break;
        }
        pos++;
      }
      if (pos == start) {
        return false;
      }
      if (plain && !(in[start] == '-' && !nonZeroDigit)) {
        write(in, start, pos - start);
      } else {
        byte[] n =
            JsonbText.number(new String(in, start, pos - start, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII);
        write(n, 0, n.length);
      }
      return true;
    }

    private void skipSpace() {
      while (pos < in.length
          && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
        pos++;
      }
    }

    private void put(byte b) {
      if (size == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[size++] = b;
    }

    private void write(byte[] b, int off, int len) {
      if (size + len > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, size + len));
      }
      System.arraycopy(b, off, out, size, len);
      size += len;
    }
  }
}
