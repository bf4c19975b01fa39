package dev.ferry.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Texts into json (kept verbatim once it parses as one JSON value) and jsonb (its canonical text,
 * {@link JsonbText}; refused when jsonb cannot hold it exactly: duplicate keys, {@code \u0000}).
 * Numbers become JSON numbers; a REAL that JSON cannot write (NaN, Infinity) is refused.
 */
final class JsonRules {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonRules() {}

  static String json(Object v) throws ValueDoesNotFit {
    String s = jsonText(v);
    if (!wellFormed(s)) {
      throw new ValueDoesNotFit(SourceValues.shown(v) + " is not JSON");
    }
    return s;
  }

  static String jsonb(Object v) throws ValueDoesNotFit {
    byte[] b = jsonText(v).getBytes(StandardCharsets.UTF_8);
    int kind = JsonText.classify(b);
    if (kind == JsonText.INVALID) {
      throw new ValueDoesNotFit(SourceValues.shown(v) + " is not JSON");
    }
    if ((kind & JsonText.REPAIRABLE) != 0) {
      throw new ValueDoesNotFit(
          SourceValues.shown(v)
              + " is JSON that jsonb cannot hold exactly (duplicate keys or \\u0000)");
    }
    try {
      return new String(JsonbText.canonical(b), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) { // e.g. a number beyond numeric's range
      throw new ValueDoesNotFit(SourceValues.shown(v) + " is " + e.getMessage());
    }
  }

  private static String jsonText(Object v) throws ValueDoesNotFit {
    if (v instanceof Double d && !Double.isFinite(d)) {
      throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not a JSON number");
    }
    if (v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return SourceValues.text(v);
    }
    if (v instanceof java.math.BigDecimal d) {
      return d.toString();
    }
    if (v instanceof String || v instanceof byte[]) {
      return SourceValues.text(v);
    }
    throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not JSON");
  }

  private static boolean wellFormed(String s) {
    try (JsonParser p = FACTORY.createParser(s)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
