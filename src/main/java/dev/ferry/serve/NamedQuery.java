package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A query saved in ferry.yaml ({@code queries:}), served as a page of the explorer and as {@code
 * GET|POST /api/queries/NAME}. It runs exactly like the SQL console ({@link SqlGuard}, a read-only
 * transaction, the statement timeout); its {@code :name} parameters are bound, typed by their
 * declaration, never written into the SQL.
 *
 * <p>Checked when {@code ferry serve} starts ({@link #check}): a query the console would refuse, a
 * declared parameter the SQL does not use, an unknown type or a default that is not of its type
 * stops the server (USAGE) with a message naming the query and where it was written.
 *
 * @param name the query's name in the URL: letters, digits, {@code _} and {@code -}
 * @param title shown as the page's heading (the name when not given)
 * @param description a sentence about what it answers, or null
 * @param sql the query, with {@code :name} parameters
 * @param params the declared parameters (a {@code :name} the SQL uses and nothing declares is a
 *     required text parameter)
 * @param where where it was written (e.g. {@code ferry.yaml:12}), for messages
 */
public record NamedQuery(
    String name,
    String title,
    String description,
    String sql,
    List<NamedQuery.Param> params,
    String where) {
  /** The types a parameter may declare, as PostgreSQL names them. */
  public static final List<String> TYPES =
      List.of(
          "text",
          "integer",
          "bigint",
          "numeric",
          "double precision",
          "boolean",
          "date",
          "timestamptz");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,62}");

  /**
   * A declared parameter.
   *
   * @param name as written after {@code :} in the SQL
   * @param type one of {@link #TYPES} (text when not given)
   * @param defaultValue used when the request does not give it; null makes it required
   * @param description shown next to its field, or null
   */
  public record Param(String name, String type, String defaultValue, String description) {
    boolean required() {
      return defaultValue == null;
    }
  }

  public NamedQuery {
    params = List.copyOf(params);
    title = title == null || title.isBlank() ? name : title;
  }

  /** Checks every query: the first problem stops {@code ferry serve} (USAGE) naming its query. */
  static List<NamedQuery> check(List<NamedQuery> queries) {
    Set<String> names = new LinkedHashSet<>();
    List<NamedQuery> out = new ArrayList<>();
    for (NamedQuery q : queries) {
      if (q.name() == null || !NAME.matcher(q.name()).matches()) {
        throw q.problem(
            "the name must be letters, digits, _ and - (at most 63), as it becomes the URL"
                + " /api/queries/NAME");
      }
      if (!names.add(q.name())) {
        throw q.problem("a second query of this name");
      }
      out.add(q.complete());
    }
    return List.copyOf(out);
  }

  /**
   * This query with every parameter its SQL uses declared (undeclared ones as required text), or
   * the problem that stops the server.
   */
  private NamedQuery complete() {
    SqlGuard.Checked checked;
    try {
      checked = SqlGuard.check(sql);
    } catch (FerryException e) {
      throw problem("the console would refuse it: " + e.getMessage());
    }
    Set<String> used = new LinkedHashSet<>(checked.params());
    Map<String, Param> declared = new LinkedHashMap<>();
    for (Param p : params) {
      if (!used.contains(p.name())) {
        throw problem(
            "parameter '"
                + p.name()
                + "' is not in its SQL"
                + (used.isEmpty() ? " (which has none)" : " (it uses :" + String.join(", :", used))
                + (used.isEmpty() ? "" : ")"));
      }
      String type = p.type() == null ? "text" : p.type().trim().toLowerCase(Locale.ROOT);
      if (!TYPES.contains(type)) {
        throw problem(
            "parameter '"
                + p.name()
                + "' has type '"
                + p.type()
                + "'; use one of: "
                + String.join(", ", TYPES));
      }
      Param typed = new Param(p.name(), type, p.defaultValue(), p.description());
      if (typed.defaultValue() != null) {
        try {
          value(typed, typed.defaultValue());
        } catch (FerryException e) {
          throw problem("the default of " + e.getMessage());
        }
      }
      declared.put(p.name(), typed);
    }
    List<Param> all = new ArrayList<>();
    for (String u : used) {
      all.add(declared.getOrDefault(u, new Param(u, "text", null, null)));
    }
    return new NamedQuery(name, title, description, sql, all, where);
  }

  private FerryException problem(String what) {
    return new FerryException(
        ErrorCode.USAGE,
        (where == null ? "" : where + ": ")
            + "query '"
            + (name == null ? "" : RowQuery.abbreviate(name))
            + "': "
            + what);
  }

  /** The parameter called {@code name}, or null. */
  Param param(String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /**
   * {@code text} as a value of {@code p}'s type, to bind: a text stays text (typed by the server
   * from where it is used, as a literal would be); a number, boolean, date or time is read here, so
   * a value that is not one is a 400 naming the parameter.
   */
  static Object value(Param p, String text) {
    String t = text.strip();
    try {
      return switch (p.type()) {
        case "integer" -> Math.toIntExact(Long.parseLong(t));
        case "bigint" -> Long.parseLong(t);
        case "numeric" -> new BigDecimal(t);
        case "double precision" -> Double.parseDouble(t);
        case "boolean" ->
            switch (t.toLowerCase(Locale.ROOT)) {
              case "true", "t", "yes", "on", "1" -> true;
              case "false", "f", "no", "off", "0" -> false;
              default -> throw new IllegalArgumentException();
            };
        case "date" -> LocalDate.parse(t);
        case "timestamptz" -> timestamp(t);
        default -> text;
      };
    } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "parameter "
              + p.name()
              + ": '"
              + RowQuery.abbreviate(text)
              + "' is not "
              + switch (p.type()) {
                case "integer" -> "an integer (32 bits)";
                case "bigint" -> "an integer";
                case "numeric", "double precision" -> "a number";
                case "boolean" -> "true or false";
                case "date" -> "a date (YYYY-MM-DD)";
                default -> "a time (2024-06-01T12:00:00Z, or a date)";
              });
    }
  }

  /** An ISO instant with an offset; without one UTC (as SQLite writes times), or a date. */
  private static OffsetDateTime timestamp(String t) {
    if (t.length() == 10) {
      return LocalDate.parse(t).atStartOfDay().atOffset(ZoneOffset.UTC);
    }
    String iso = t.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso);
    } catch (DateTimeParseException e) {
      return java.time.LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
    }
  }
}
