package dev.ferry.plan;

import static dev.ferry.plan.SqliteVocabulary.KEYWORDS;
import static dev.ferry.plan.SqliteVocabulary.SAME_OR_RENAMED;

import dev.ferry.sql.SqlText;
import dev.ferry.sql.SqlTokenizer;
import dev.ferry.sql.Token;
import dev.ferry.sql.Token.Kind;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Rewrites a SQLite expression (or a view's SELECT) as PostgreSQL SQL, token by token: names are
 * mapped and quoted, operators and functions with a PostgreSQL equivalent are rewritten, and
 * anything without a faithful equivalent makes the whole translation fail with a reason: an
 * untranslatable constraint is reported, never silently weakened. Columns that changed
 * representation keep SQLite's semantics: a boolean column reads as {@code (col::int)}.
 */
final class ExpressionTranslator {

  /** What a name in the expression refers to. */
  record ColumnRef(String targetName, PgType type) {}

  private final List<Token> tokens;
  private final Function<String, ColumnRef> columns;
  private final Function<String, String> tables;
  private final boolean selectStatement;

  /** The schema a view's FROM names are qualified with, or null. */
  private final String schema;

  private final StringBuilder out = new StringBuilder();
  private int i;

  private ExpressionTranslator(
      String sql,
      Function<String, ColumnRef> columns,
      Function<String, String> tables,
      boolean selectStatement,
      String schema) {
    this.tokens = new java.util.ArrayList<>(SqlTokenizer.tokenize(sql));
    this.columns = columns;
    this.tables = tables;
    this.selectStatement = selectStatement;
    this.schema = schema;
  }

  /** Translates an expression over one table's columns (CHECK, DEFAULT, index, generated). */
  static Translation expression(String sql, Function<String, ColumnRef> columns) {
    return run(sql, columns, name -> null, false);
  }

  /** Translates a view's SELECT; table names map through {@code tables}. */
  static Translation select(
      String sql, Function<String, ColumnRef> columns, Function<String, String> tables) {
    return run(sql, columns, tables, true, null);
  }

  /**
   * Translates a view's SELECT for {@code schema}: the tables it reads from are qualified with the
   * schema (a view must not depend on the search_path), and boolean columns keep SQLite's 0/1
   * meaning (see {@link ViewBooleans}).
   */
  static Translation select(
      String sql,
      Function<String, ColumnRef> columns,
      Function<String, String> tables,
      String schema) {
    return run(sql, columns, tables, true, schema);
  }

  private static Translation run(
      String sql,
      Function<String, ColumnRef> columns,
      Function<String, String> tables,
      boolean select) {
    return run(sql, columns, tables, select, null);
  }

  private static Translation run(
      String sql,
      Function<String, ColumnRef> columns,
      Function<String, String> tables,
      boolean select,
      String schema) {
    try {
      ExpressionTranslator t = new ExpressionTranslator(sql, columns, tables, select, schema);
      String problem = t.translate();
      return problem == null ? Translation.ok(t.out.toString().trim()) : Translation.fail(problem);
    } catch (IllegalArgumentException e) {
      return Translation.fail(e.getMessage());
    }
  }

  /** Null on success, else the reason. */
  private String translate() {
    for (i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      String problem =
          switch (t.kind()) {
            case WORD -> word(t);
            case QUOTED_NAME -> name(t, true);
            case STRING -> emit(SqlText.literal(t.text()));
            case NUMBER -> number(t);
            case BLOB -> emit("'\\x" + t.text().toLowerCase(Locale.ROOT) + "'::bytea");
            case PARAMETER -> "bind parameter " + t.text();
            case LPAREN -> emitRaw("(");
            case RPAREN -> emitRaw(")");
            case COMMA -> emitRaw(", ");
            case SEMICOLON -> null;
            case OPERATOR -> operator(t);
          };
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private String word(Token t) {
    String u = t.upper();
    boolean call = peek(1) != null && peek(1).kind() == Kind.LPAREN;
    if (call && !KEYWORDS.contains(u)) {
      return function(t, u);
    }
    switch (u) {
      case "IS" -> {
        Token next = peek(1);
        boolean not = next != null && next.is("NOT");
        Token after = peek(not ? 2 : 1);
        if (after != null && (after.is("NULL") || after.is("TRUE") || after.is("FALSE"))) {
          return emit("IS");
        }
        if (not) {
          i++;
        }
        return emit(not ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM");
      }
      case "LIKE" -> {
        return emit("ILIKE"); // SQLite's LIKE ignores ASCII case
      }
      case "GLOB" -> {
        Token pattern = peek(1);
        String like =
            pattern != null && pattern.kind() == Kind.STRING ? globToLike(pattern.text()) : null;
        if (like == null) {
          return "GLOB with a character class or a non-literal pattern has no exact PostgreSQL equivalent";
        }
        i++;
        return emit(
            "LIKE " + SqlText.literal(like)); // GLOB is case-sensitive, like LIKE in PostgreSQL
      }
      case "REGEXP", "MATCH" -> {
        return u + " has no exact PostgreSQL equivalent";
      }
      case "COLLATE" -> {
        Token coll = peek(1);
        i++;
        if (coll != null && coll.text().equalsIgnoreCase("BINARY")) {
          return null;
        }
        return "COLLATE " + (coll == null ? "" : coll.text()) + " in an expression";
      }
      default -> {
        if (KEYWORDS.contains(u)) {
          return emit(u);
        }
        return name(t, false);
      }
    }
  }

  private String name(Token t, boolean quoted) {
    int start = i;
    Token next = peek(1);
    if (next != null && next.kind() == Kind.OPERATOR && next.text().equals(".")) {
      String table = tables.apply(t.text());
      String qualifier = SqlText.ident(table != null ? table : Names.lowerAscii(t.text()));
      i++;
      Token col = peek(1);
      if (col == null) {
        return "dangling '.'";
      }
      i++;
      if (col.kind() == Kind.OPERATOR && col.text().equals("*")) {
        return emit(qualifier + ".*");
      }
      ColumnRef ref = columns.apply(col.text());
      String name =
          qualifier
              + "."
              + SqlText.ident(ref != null ? ref.targetName() : Names.lowerAscii(col.text()));
      return ref != null && selectStatement && ref.type().kind() == PgType.Kind.BOOLEAN
          ? viewBoolean(name, start, ref)
          : emit(name);
    }
    ColumnRef ref = columns.apply(t.text());
    if (ref != null && selectStatement && ref.type().kind() == PgType.Kind.BOOLEAN) {
      return viewBoolean(SqlText.ident(ref.targetName()), start, ref);
    }
    if (ref != null) {
      return emit(
          ref.type().kind() == PgType.Kind.BOOLEAN
              ? "(" + SqlText.ident(ref.targetName()) + "::int)"
              : SqlText.ident(ref.targetName()));
    }
    if (selectStatement) {
      String table = tables.apply(t.text());
      String quotedName = SqlText.ident(table != null ? table : Names.lowerAscii(t.text()));
      return emit(
          table != null && schema != null && ViewBooleans.readsFrom(tokens, start)
              ? SqlText.ident(schema) + "." + quotedName
              : quotedName);
    }
    if (quoted) { // SQLite reads a "quoted" word that names no column as a string
      return emit(SqlText.literal(t.text()));
    }
    return "unknown name " + t.text();
  }

  /**
   * A boolean column in a view, where SQLite reads 0/1: compared with 0 or 1 (=, ==, !=, <>, IN) it
   * is compared with FALSE/TRUE; where a boolean stands on its own (a select-list item, a
   * condition, NOT) it stays boolean; anywhere else (arithmetic, function arguments, comparisons
   * with other numbers) it reads as {@code (col::int)}, SQLite's value exactly.
   */
  private String viewBoolean(String name, int start, ColumnRef ref) {
    boolean exact = !ViewBooleans.isAmbiguous(ref);
    int consumed = exact ? ViewBooleans.literalComparison(tokens, i + 1) : 0;
    if (consumed > 0) {
      emit(name);
      for (int k = i + 1; k <= i + consumed; k++) {
        Token tok = tokens.get(k);
        if (tok.kind() == Kind.NUMBER) {
          emit(tok.text().equals("0") ? "FALSE" : "TRUE");
        } else if (tok.kind() == Kind.LPAREN || tok.kind() == Kind.RPAREN) {
          emitRaw(tok.text());
        } else if (tok.kind() == Kind.COMMA) {
          emitRaw(", ");
        } else {
          emit(tok.text().equals("==") ? "=" : tok.text().toUpperCase(Locale.ROOT));
        }
      }
      i += consumed;
      return null;
    }
    return emit(ViewBooleans.standsAlone(tokens, start, i) ? name : "(" + name + "::int)");
  }

  private String function(Token t, String u) {
    List<Token> args = args(i + 1);
    switch (u) {
      case "DATETIME", "DATE", "TIME", "STRFTIME", "JULIANDAY", "UNIXEPOCH" -> {
        return timeFunction(u, args);
      }
      case "JSON_VALID" -> {
        if (args.size() == 1 && args.get(0).isName()) {
          ColumnRef ref = columns.apply(args.get(0).text());
          if (ref != null && ref.type().kind() == PgType.Kind.JSONB) {
            skipCall();
            return emit("TRUE"); // jsonb holds only valid JSON
          }
          if (ref != null) {
            skipCall();
            return emit("pg_input_is_valid(" + SqlText.ident(ref.targetName()) + ", 'jsonb')");
          }
        }
        return "json_valid(...) over an expression";
      }
      case "MAX", "MIN" -> {
        int commas = topLevelCommas(i + 1);
        return emit(
            commas > 0 ? (u.equals("MAX") ? "greatest" : "least") : u.toLowerCase(Locale.ROOT));
      }
      case "CAST" -> {
        return cast();
      }
      case "GROUP_CONCAT" -> {
        return emit("string_agg");
      }
      default -> {
        String mapped = SAME_OR_RENAMED.get(u);
        if (mapped == null) {
          return "function " + t.text() + "() has no PostgreSQL translation";
        }
        return emit(mapped);
      }
    }
  }

  private String timeFunction(String u, List<Token> args) {
    boolean now =
        !args.isEmpty()
            && args.stream().allMatch(a -> a.kind() == Kind.STRING || a.kind() == Kind.COMMA);
    String first = args.isEmpty() ? null : args.get(0).text();
    String replacement = null;
    if (u.equals("UNIXEPOCH") && args.isEmpty()) {
      replacement = "(extract(epoch from now()))::bigint";
    } else if (now && args.size() == 1 && "now".equalsIgnoreCase(first)) {
      replacement =
          switch (u) {
            case "DATETIME" -> "CURRENT_TIMESTAMP";
            case "DATE" -> "CURRENT_DATE";
            case "TIME" -> "CURRENT_TIME";
            case "UNIXEPOCH" -> "(extract(epoch from now()))::bigint";
            default -> null;
          };
    } else if (u.equals("STRFTIME")
        && args.size() == 3
        && "%s".equals(first)
        && "now".equalsIgnoreCase(args.get(2).text())) {
      replacement = "(extract(epoch from now()))::bigint";
    }
    if (replacement == null) {
      return u.toLowerCase(Locale.ROOT) + "(...) is only translated for 'now'";
    }
    skipCall();
    return emit(replacement);
  }

  private String cast() {
    // CAST ( expr AS type ): translate expr normally, then map the type name
    int close = matching(i + 1);
    int as = -1;
    int depth = 0;
    for (int j = i + 1; j < close; j++) {
      Kind k = tokens.get(j).kind();
      if (k == Kind.LPAREN) {
        depth++;
      } else if (k == Kind.RPAREN) {
        depth--;
      } else if (depth == 1 && tokens.get(j).is("AS")) {
        as = j;
      }
    }
    if (as < 0) {
      return "malformed CAST";
    }
    StringBuilder type = new StringBuilder();
    for (int j = as + 1; j < close; j++) {
      type.append(tokens.get(j).text()).append(' ');
    }
    String pg =
        switch (TypeChooser.affinity(type.toString().trim())) {
          case INTEGER -> "bigint";
          case TEXT -> "text";
          case REAL -> "double precision";
          case BLOB -> "bytea";
          case NUMERIC -> "numeric";
        };
    emit("CAST");
    out.append('(');
    List<Token> inner = tokens.subList(i + 2, as);
    ExpressionTranslator sub =
        new ExpressionTranslator("", columns, tables, selectStatement, schema);
    sub.tokens.addAll(inner);
    String problem = sub.translate();
    if (problem != null) {
      return problem;
    }
    out.append(sub.out.toString().trim()).append(" AS ").append(pg).append(')');
    i = close;
    return null;
  }

  /** A GLOB pattern as a LIKE pattern (backslash escapes), or null when it has [classes]. */
  static String globToLike(String glob) {
    StringBuilder like = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        case '[' -> {
          return null;
        }
        default -> like.append(c);
      }
    }
    return like.toString();
  }

  private String number(Token t) {
    String s = t.text();
    if (s.startsWith("0x") || s.startsWith("0X")) {
      return emit(new BigInteger(s.substring(2), 16).toString());
    }
    return emit(s);
  }

  private String operator(Token t) {
    return switch (t.text()) {
      case "==" -> emit("=");
      case "." -> emitRaw(".");
      case "->", "->>" -> "JSON operator " + t.text() + " (SQLite and PostgreSQL differ)";
      default -> emit(t.text());
    };
  }

  private String emit(String s) {
    space();
    out.append(s);
    return null;
  }

  private String emitRaw(String s) {
    if (s.equals(")") || s.equals(", ") || s.equals(".")) {
      while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
        out.setLength(out.length() - 1);
      }
    }
    if (s.equals("(")
        && out.length() > 0
        && Character.isLetterOrDigit(out.charAt(out.length() - 1))
        && !endsWithKeyword()) {
      out.append('(');
    } else if (s.equals("(")) {
      space();
      out.append('(');
    } else {
      out.append(s);
    }
    return null;
  }

  private boolean endsWithKeyword() {
    int j = out.length();
    while (j > 0 && Character.isLetter(out.charAt(j - 1))) {
      j--;
    }
    String last = out.substring(j);
    return KEYWORDS.contains(last.toUpperCase(Locale.ROOT))
        && last.equals(last.toUpperCase(Locale.ROOT));
  }

  private void space() {
    if (out.length() > 0) {
      char c = out.charAt(out.length() - 1);
      if (c != ' ' && c != '(' && c != '.') {
        out.append(' ');
      }
    }
  }

  private Token peek(int ahead) {
    int j = i + ahead;
    return j < tokens.size() ? tokens.get(j) : null;
  }

  /** The argument tokens (commas included) of the call whose '(' is at {@code open}. */
  private List<Token> args(int open) {
    if (open >= tokens.size() || tokens.get(open).kind() != Kind.LPAREN) {
      return List.of();
    }
    return tokens.subList(open + 1, matching(open));
  }

  private int topLevelCommas(int open) {
    int depth = 0;
    int commas = 0;
    for (int j = open; j < tokens.size(); j++) {
      Kind k = tokens.get(j).kind();
      if (k == Kind.LPAREN) {
        depth++;
      } else if (k == Kind.RPAREN && --depth == 0) {
        return commas;
      } else if (k == Kind.COMMA && depth == 1) {
        commas++;
      }
    }
    return commas;
  }

  private void skipCall() {
    i = matching(i + 1);
  }

  private int matching(int open) {
    int depth = 0;
    for (int j = open; j < tokens.size(); j++) {
      Kind k = tokens.get(j).kind();
      if (k == Kind.LPAREN) {
        depth++;
      } else if (k == Kind.RPAREN && --depth == 0) {
        return j;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses");
  }
}
