package dev.ferry.config;

import java.util.List;

/**
 * A named query as ferry.yaml's {@code queries:} writes it (see {@link QuerySection}); {@code ferry
 * serve} checks it (SQL, parameter names and types) when it starts.
 *
 * @param name the query's name
 * @param title its heading, or null
 * @param description a sentence about it, or null
 * @param sql the query with {@code :name} parameters
 * @param params the declared parameters, as written
 * @param line where it starts in the file
 */
public record SavedQuery(
    String name, String title, String description, String sql, List<Param> params, int line) {
  public SavedQuery {
    params = List.copyOf(params);
  }

  /**
   * A declared parameter as written: type may be null (text), defaultValue null (required).
   *
   * @param name the {@code :name} it fills
   * @param type its type name, or null
   * @param defaultValue its default as text, or null
   * @param description a few words for its field, or null
   */
  public record Param(String name, String type, String defaultValue, String description) {}
}
