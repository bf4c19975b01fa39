package dev.ferry.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opaque {@code next} cursor of keyset pagination: the last row's sort value (null-safe) and
 * primary key, tied to the order it was made for; or, where there is no key (views, search), an
 * offset. Anything that does not decode is a 400, never a query.
 */
record Cursor(String order, boolean hasValue, String value, List<String> key, long offset) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Cursor keyset(String order, String value, List<String> key) {
    return new Cursor(order, true, value, key, -1);
  }

  static Cursor offset(String order, long offset) {
    return new Cursor(order, false, null, List.of(), offset);
  }

  boolean isOffset() {
    return offset >= 0;
  }

  String encode() {
    ObjectNode o = JSON.createObjectNode();
    o.put("o", order);
    if (isOffset()) {
      o.put("n", offset);
    } else {
      o.put("v", value);
      ArrayNode k = o.putArray("k");
      key.forEach(k::add);
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
  }

  static Cursor decode(String s, String order, int keyColumns) {
    try {
      if (s.length() > 8192) {
        throw new IllegalArgumentException("too long");
      }
      JsonNode o = JSON.readTree(Base64.getUrlDecoder().decode(s));
      if (!o.path("o").asText("\u0000").equals(order)) {
        throw new FerryException(
            ErrorCode.USAGE,
            "the cursor 'after' belongs to another sort order: start again without it");
      }
      if (o.has("n")) {
        long n = o.get("n").asLong(-1);
        if (n < 0 || n > 10_000_000) {
          throw new IllegalArgumentException("offset");
        }
        return offset(order, n);
      }
      JsonNode k = o.get("k");
      if (k == null || !k.isArray() || k.size() != keyColumns || !o.has("v")) {
        throw new IllegalArgumentException("shape");
      }
      List<String> key = new ArrayList<>();
      k.forEach(v -> key.add(v.isNull() ? null : v.asText()));
      JsonNode v = o.get("v");
      return keyset(order, v.isNull() ? null : v.asText(), key);
    } catch (FerryException e) {
      throw e;
    } catch (Exception e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "the cursor 'after' is not one this server made: start again without it");
    }
  }
}
