package dev.ferry.value;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How Ferry repairs a value PostgreSQL cannot hold, under {@code --on-bad-value fix}: the repaired
 * value is loaded and the original is kept verbatim in ferry.fixups. Text: invalid UTF-8 sequences
 * become U+FFFD, NUL bytes are removed. JSON: NUL characters are removed from strings and keys, and
 * of duplicate keys the last is kept (what jsonb itself would keep).
 */
public final class Repairs {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .configure(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES,
              false)
          .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, false);

  private Repairs() {}

  /** Valid UTF-8 text without NUL: invalid sequences replaced by U+FFFD, NULs removed. */
  public static byte[] text(byte[] b) {
    if (Utf8.pgTextLength(b) >= 0) {
      return b;
    }
    return new String(b, StandardCharsets.UTF_8).replace("\0", "").getBytes(StandardCharsets.UTF_8);
  }

  /** Why {@link #text} would change {@code b}, or null when it would not. */
  public static String textProblem(byte[] b) {
    if (Utf8.pgTextLength(b) >= 0) {
      return null;
    }
    for (byte x : b) {
      if (x == 0) {
        return "NUL byte in text (PostgreSQL text cannot hold it): removed";
      }
    }
    return "invalid UTF-8: the invalid bytes were replaced by U+FFFD";
  }

  /**
   * The repaired JSON text of a document that is well-formed once its text is repaired but that
   * jsonb cannot hold exactly ({@code \u0000}, duplicate keys); null when it is not JSON at all.
   */
  public static byte[] json(byte[] b) {
    try {
      JsonNode node = JSON.readTree(text(b));
      if (node == null || node.isMissingNode()) {
        return null;
      }
      return JSON.writeValueAsBytes(clean(node));
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode clean(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue().indexOf('\0') >= 0
          ? TextNode.valueOf(n.textValue().replace("\0", ""))
          : n;
    }
    if (n.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      n.forEach(x -> a.add(clean(x)));
      return a;
    }
    if (n.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        o.set(e.getKey().replace("\0", ""), clean(e.getValue()));
      }
      return o;
    }
    return n;
  }
}
