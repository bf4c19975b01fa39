package dev.ferry.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.value.CatalogType.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A JSON array text (how SQLite apps store lists) into a PostgreSQL array: each element converted
 * to the element type, written as an array literal ({@code {1,2,NULL}}, {@code {"a b","c\"d"}}).
 * Nested arrays and objects are accepted only as elements of json/jsonb arrays (multi-dimensional
 * arrays are not converted).
 */
final class ArrayRule implements Conversion.Rule {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final CatalogType type;
  private final Conversion.Rule element;
  private final boolean jsonElements;

  ArrayRule(CatalogType type) {
    this.type = type;
    this.element = Conversion.ruleFor(type.element());
    CatalogType e = type.element();
    while (e.kind() == Kind.DOMAIN) {
      e = e.base();
    }
    this.jsonElements = e.kind() == Kind.JSON || e.kind() == Kind.JSONB;
  }

  @Override
  public String apply(Object value) throws ValueDoesNotFit {
    String text = SourceValues.text(value);
    try (JsonParser p = FACTORY.createParser(text)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw notArray(value);
      }
      StringBuilder out = new StringBuilder();
      array(p, out);
      if (p.nextToken() != null) {
        throw notArray(value);
      }
      return out.toString();
    } catch (IOException e) {
      throw notArray(value);
    }
  }

  private ValueDoesNotFit notArray(Object value) {
    return new ValueDoesNotFit(
        SourceValues.kindOf(value) + " is not a JSON array, which " + type.formatted() + " needs");
  }

  /** Writes the array at the parser into out (one dimension: nested arrays are refused). */
  private void array(JsonParser p, StringBuilder out) throws IOException, ValueDoesNotFit {
    out.append('{');
    int count = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (count++ > 0) {
        out.append(',');
      }
      out.append(element(p, t));
    }
    out.append('}');
  }

  private String element(JsonParser p, JsonToken t) throws IOException, ValueDoesNotFit {
    Object v =
        switch (t) {
          case VALUE_NULL -> null;
          case VALUE_TRUE -> jsonElements ? "true" : (Object) true;
          case VALUE_FALSE -> jsonElements ? "false" : (Object) false;
          case VALUE_STRING -> jsonElements ? quotedJson(p.getText()) : p.getText();
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
              jsonElements ? p.getText() : new BigDecimal(p.getText());
          case START_OBJECT, START_ARRAY -> {
            if (!jsonElements) {
              throw new ValueDoesNotFit(
                  "a nested JSON "
                      + (t == JsonToken.START_OBJECT ? "object" : "array")
                      + " is not an element of "
                      + type.formatted());
            }
            yield subtree(p);
          }
          default -> throw new ValueDoesNotFit("unexpected JSON in an array: " + t);
        };
    if (v == null) {
      return "NULL";
    }
    return quote(element.apply(v));
  }

  private static String quotedJson(String s) throws IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeString(s);
    }
    return w.toString();
  }

  private static String subtree(JsonParser p) throws IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.toString();
  }

  /** An element as array_out writes it: quoted when empty, NULL-like, or holding a special. */
  static String quote(String s) {
    boolean needs = s.isEmpty() || s.toUpperCase(Locale.ROOT).equals("NULL");
    for (int i = 0; !needs && i < s.length(); i++) {
      char c = s.charAt(i);
      needs = c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || isArraySpace(c);
    }
    if (!needs) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  /** array_out quotes an element holding any of these (scanner_isspace). */
  private static boolean isArraySpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }
}
