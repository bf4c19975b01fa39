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

  /** The canonical jsonb text of a valid JSON document (see {@link JsonText#classify}). */
  public static byte[] canonical(byte[] json) {
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
}
