package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the SQL console lets through, read by a small lexer of PostgreSQL's syntax (comments,
 * strings, dollar quotes and quoted names are skipped, not matched): one statement, that is a query
 * (SELECT, WITH, VALUES, TABLE, EXPLAIN), calling none of the server functions that read files,
 * signal other sessions, change settings, take session locks or run SQL from text. Anything else is
 * a USAGE error (HTTP 400) naming why.
 *
 * <p>This is the first line, not the guarantee: the query runs in a read-only transaction that is
 * rolled back (so no write and no setting outlives it) under the statement timeout. Named
 * parameters ({@code :name}) become JDBC placeholders; a literal {@code ?} operator is escaped.
 */
final class SqlGuard {
  static final int MAX_LENGTH = 20_000;
  private static final Set<String> QUERIES = Set.of("select", "with", "values", "table", "explain");
  private static final Set<String> DENIED =
      Set.of(
          "pg_read_file",
          "pg_read_binary_file",
          "pg_stat_file",
          "pg_terminate_backend",
          "pg_cancel_backend",
          "pg_reload_conf",
          "pg_rotate_logfile",
          "pg_logfile_rotate",
          "set_config",
          "dblink",
          "ts_stat",
          "pg_switch_wal",
          "pg_promote",
          "pg_notify",
          "pg_import_system_collations",
          "lo_import",
          "lo_export",
          "lo_open",
          "lo_get",
          "lo_put",
          "lo_create",
          "lo_creat",
          "lo_unlink",
          "lo_from_bytea",
          "lo_truncate",
          "loread",
          "lowrite");
  private static final List<String> DENIED_PREFIXES =
      List.of(
          "pg_ls_",
          "pg_file_",
          "pg_advisory_",
          "pg_try_advisory_",
          "dblink_",
          "query_to_xml",
          "cursor_to_xml",
          "table_to_xml", // and the _and_xmlschema forms: read a table named by a computed regclass
          "schema_to_xml",
          "database_to_xml",
          "pg_create_",
          "pg_drop_replication",
          "pg_replication_",
          "pg_backup_",
          "pg_stat_reset");

  /** The checked statement: JDBC text and the parameter names in placeholder order. */
  record Checked(String jdbc, List<String> params) {}

  private SqlGuard() {}

  static Checked check(String sql) {
    if (sql == null || sql.isBlank()) {
      throw refuse("give the query as sql");
    }
    if (sql.length() > MAX_LENGTH) {
      throw refuse("the query is longer than " + MAX_LENGTH + " characters");
    }
    Scan scan = new Scan(sql);
    scan.run();
    if (scan.first == null) {
      throw refuse("give the query as sql");
    }
    return new Checked(scan.jdbc.toString(), scan.params);
  }

  /** One pass over the query's text: every token checked, the JDBC text written as it goes. */
  private static final class Scan {
    private final String sql;
    private final int n;
    private final StringBuilder jdbc = new StringBuilder();
    private final List<String> params = new ArrayList<>();
    private String first; // the first word: the statement's kind
    private boolean ended; // a ';' was seen

    Scan(String sql) {
      this.sql = sql;
      this.n = sql.length();
    }

    private char at(int i) {
      return i < n ? sql.charAt(i) : 0;
    }

    void run() {
      int i = 0;
      while (i < n) {
        char c = sql.charAt(i);
        int end;
        if (Character.isWhitespace(c)) {
          end = i + 1;
        } else if (c == '-' && at(i + 1) == '-') {
          end = sql.indexOf('\n', i);
          end = end < 0 ? n : end + 1;
        } else if (c == '/' && at(i + 1) == '*') {
          end = blockComment(sql, i);
        } else {
          i = token(c, i);
          continue;
        }
        jdbc.append(sql, i, end);
        i = end;
      }
    }

    /** Checks the token at {@code i}, writes its JDBC text, and returns where the next begins. */
    private int token(char c, int i) {
      if (ended) {
        throw refuse("one statement at a time: remove what follows the ';'");
      }
      if (c == ';') {
        ended = true;
        return i + 1;
      }
      int end;
      if (c == '\'') {
        end = quoted(sql, i, '\'', escapes(sql, i));
        deniedInText(sql.substring(i, end));
      } else if (c == '"') {
        end = quoted(sql, i, '"', false);
        denied(sql.substring(i + 1, end - 1));
      } else if (c == '$' && dollarTag(sql, i) != null) {
        end = dollarQuoted(i);
      } else if (Character.isLetter(c) || c == '_') {
        end = word(i);
      } else if (c == ':' && at(i + 1) == ':') {
        end = i + 2; // a cast
      } else if (c == ':' && (Character.isLetter(at(i + 1)) || at(i + 1) == '_')) {
        end = i + 2;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        params.add(sql.substring(i + 1, end));
        jdbc.append('?');
        return end;
      } else if (c == '?') {
        jdbc.append("??"); // the jsonb operator, not a placeholder
        return i + 1;
      } else {
        end = i + 1;
      }
      jdbc.append(sql, i, end);
      return end;
    }

    private int dollarQuoted(int i) {
      String tag = dollarTag(sql, i);
      int close = sql.indexOf(tag, i + tag.length());
      if (close < 0) {
        throw refuse("a " + tag + " string is not closed");
      }
      int end = close + tag.length();
      deniedInText(sql.substring(i, end));
      return end;
    }

    private int word(int i) {
      int end = i + 1;
      while (end < n
          && (Character.isLetterOrDigit(sql.charAt(end)) || "_$".indexOf(sql.charAt(end)) >= 0)) {
        end++;
      }
      String word = sql.substring(i, end).toLowerCase(Locale.ROOT);
      if (word.equals("u") && at(end) == '&') {
        // U&"pg\005fread_file" names a function the checks below would not recognise
        throw refuse("U& escapes are not accepted in the console: write names and texts plainly");
      }
      if (first == null) {
        first = word;
        if (!QUERIES.contains(word)) {
          throw refuse(
              "only queries run here (SELECT, WITH, VALUES, TABLE, EXPLAIN), not "
                  + word.toUpperCase(Locale.ROOT)
                  + ": the console is read-only");
        }
      }
      denied(word);
      return end;
    }
  }

  private static boolean escapes(String sql, int quote) {
    return quote > 0
        && (sql.charAt(quote - 1) == 'E' || sql.charAt(quote - 1) == 'e')
        && (quote == 1 || !Character.isLetterOrDigit(sql.charAt(quote - 2)));
  }

  /** The end of a quoted string or name starting at {@code at} (doubled quotes inside). */
  private static int quoted(String sql, int at, char q, boolean backslashes) {
    int i = at + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashes && c == '\\') {
        i += 2;
        continue;
      }
      if (c == q) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    throw refuse("a " + q + " quote is not closed");
  }

  private static int blockComment(String sql, int at) {
    int depth = 0;
    int i = at;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw refuse("a /* comment is not closed");
  }

  /** {@code $tag$} at {@code at}, or null ({@code $1} and the like are not tags). */
  private static String dollarTag(String sql, int at) {
    int i = at + 1;
    while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    if (i >= sql.length() || sql.charAt(i) != '$') {
      return null;
    }
    String tag = sql.substring(at, i + 1);
    return tag.length() > 2 && Character.isDigit(tag.charAt(1)) ? null : tag;
  }

  /**
   * Refuses a denied function called by {@code name}, and the table that holds the audit's secret
   * (the explorer connects as the role that owns the ferry schema, so a grant cannot hide it).
   */
  private static void denied(String name) {
    String w = name.toLowerCase(Locale.ROOT);
    if (w.equals("audit_key")) {
      throw refuse(
          "ferry.audit_key holds the secret that names tokens in ferry.audit; it is not readable"
              + " here");
    }
    boolean deny = DENIED.contains(w) || DENIED_PREFIXES.stream().anyMatch(w::startsWith);
    if (deny) {
      throw refuse(
          w
              + "() is refused here: the console does not read server files, signal sessions,"
              + " change settings, take session locks or run SQL from text");
    }
  }

  /** Refuses a string that names a denied function (SQL run from text would call it). */
  private static void deniedInText(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String d : DENIED) {
      if (lower.contains(d + "(") || lower.contains(d + " (")) {
        denied(d);
      }
    }
  }

  private static FerryException refuse(String why) {
    return new FerryException(ErrorCode.USAGE, "sql: " + why);
  }
}
