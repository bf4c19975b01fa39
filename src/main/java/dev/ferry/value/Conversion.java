package dev.ferry.value;

import java.nio.charset.StandardCharsets;

/** STUB of h-conv's Conversion. */
public final class Conversion {
  private final CatalogType type;

  private Conversion(CatalogType type) {
    this.type = type;
  }

  public static Conversion to(CatalogType t) {
    return new Conversion(t);
  }

  public String copyText(Object value) throws ValueDoesNotFit {
    if (value == null) {
      return null;
    }
    String s =
        value instanceof byte[] b
            ? (type.kind() == CatalogType.Kind.BYTEA
                ? "\\x" + java.util.HexFormat.of().formatHex(b)
                : new String(b, StandardCharsets.UTF_8))
            : String.valueOf(value);
    switch (type.kind()) {
      case VARCHAR, CHAR -> {
        if (type.length() >= 0 && s.codePointCount(0, s.length()) > type.length()) {
          throw new ValueDoesNotFit("longer than " + type.formatted());
        }
      }
      case SMALLINT, INTEGER, BIGINT -> {
        long v;
        try {
          v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
          throw new ValueDoesNotFit("not an integer");
        }
        if ((type.kind() == CatalogType.Kind.SMALLINT && (short) v != v)
            || (type.kind() == CatalogType.Kind.INTEGER && (int) v != v)) {
          throw new ValueDoesNotFit("out of range for " + type.formatted());
        }
        return Long.toString(v);
      }
      default -> {}
    }
    return s;
  }
}
