package dev.ferry.map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** ferry.yaml text for mappings: keys and values quoted only when YAML needs it. */
final class MappingYaml {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MappingYaml() {}

  /** One {@code map:} entry on one line, {@code source: {into: …, columns: {…}, …}} (JSON flow). */
  static String entry(TableMapping m) {
    return key(m.source()) + ": " + json(spec(m));
  }

  /** What one {@code map:} entry says (into, create, columns, drop, set, transform), as written. */
  static Map<String, Object> spec(TableMapping m) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("into", m.into());
    if (m.create()) {
      e.put("create", true);
    }
    if (!m.columns().isEmpty()) {
      e.put("columns", new LinkedHashMap<>(m.columns()));
    }
    if (!m.drop().isEmpty()) {
      e.put("drop", m.drop());
    }
    if (!m.set().isEmpty()) {
      e.put("set", m.set());
    }
    if (!m.transform().isEmpty()) {
      e.put("transform", m.transform());
    }
    return e;
  }

  /** A YAML key or plain value: bare when it is a plain word, else a double-quoted string. */
  static String key(String k) {
    return k.matches("[A-Za-z_][A-Za-z0-9_.$-]*")
            && !RESERVED.contains(k.toLowerCase(java.util.Locale.ROOT))
        ? k
        : json(k);
  }

  /** Words YAML reads as something other than a string. */
  private static final java.util.Set<String> RESERVED =
      java.util.Set.of("null", "true", "false", "yes", "no", "on", "off", "y", "n");

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
