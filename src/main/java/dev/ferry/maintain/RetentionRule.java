package dev.ferry.maintain;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of ferry.yaml's {@code retention:}: rows of {@code schema.table} whose {@code column}
 * holds a time before a cutoff are deleted. The cutoff is the server's {@code now()} at the start
 * of {@code ferry maintain} minus {@code age}: {@code now} (for expiry columns: rows whose {@code
 * expires_at} has passed) or one or more {@code N unit} pairs ({@code 90 days}, {@code 1 year 6
 * months}; units second, minute, hour, day, week, month, year, singular or plural).
 *
 * @param schema the table's schema as written, or null for the default ({@code public})
 * @param line the line of ferry.yaml the rule is on (0 when it was not read from a file)
 */
public record RetentionRule(String schema, String table, String column, String age, int line) {
  /** The schema of a table a rule names without one. */
  public static final String DEFAULT_SCHEMA = "public";

  private static final String UNIT = "(second|minute|hour|day|week|month|year)s?";
  private static final Pattern AGE =
      Pattern.compile("(?:\\d{1,6}\\s*" + UNIT + "\\s*)+", Pattern.CASE_INSENSITIVE);
  private static final Pattern PAIR = Pattern.compile("(\\d{1,6})\\s*" + UNIT);

  /** How an age is written, for messages. */
  public static final String AGE_HELP =
      "now, or an age such as '90 days', '12 hours', '1 year 6 months' (units: second, minute,"
          + " hour, day, week, month, year)";

  /**
   * The age as ferry writes it ({@code now}, or pairs such as {@code 90 days}), or null when {@code
   * text} is neither.
   */
  public static String normalizeAge(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("now")) {
      return "now";
    }
    if (!AGE.matcher(t).matches()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    Matcher m = PAIR.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      out.append(out.length() == 0 ? "" : " ")
          .append(n)
          .append(' ')
          .append(m.group(2))
          .append(n == 1 ? "" : "s");
    }
    return out.toString();
  }

  /** The schema the rule resolves to. */
  public String schemaOrDefault() {
    return schema == null ? DEFAULT_SCHEMA : schema;
  }

  /** schema.table as the rule resolves it. */
  public String label() {
    return schemaOrDefault() + "." + table;
  }

  /** The interval subtracted from now(): PostgreSQL interval text. */
  String interval() {
    return age.equals("now") ? "0 seconds" : age;
  }

  /** How the rule reads in a report: "expires_at < now", "created_at older than 90 days". */
  public String describe() {
    return age.equals("now") ? column + " < now" : column + " older than " + age;
  }

  /** Where the rule came from, for messages: "ferry.yaml line 3: " or nothing. */
  String where() {
    return line > 0 ? "retention rule on line " + line + ": " : "retention rule: ";
  }
}
