package dev.ferry.plan;

import dev.ferry.sql.Token;
import dev.ferry.sql.Token.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a view's SELECT needs to know about the tables it reads: which names are tables (qualified
 * with the run's schema, so a view never depends on the search_path) and which columns Ferry made
 * boolean, where SQLite reads 0 and 1. A view joining a table where the name is boolean with one
 * where it is not reads it as {@code (col::int)} everywhere, which is right for both.
 */
final class ViewBooleans {
  /** A name that is boolean in one table the view reads and not in another. */
  private static final PgType AMBIGUOUS = new PgType(PgType.Kind.BOOLEAN, 1);

  /** Words after which a boolean stands on its own (a select-list item or a condition). */
  private static final Set<String> STANDS_AFTER =
      Set.of(
          "SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR", "NOT", "ON", "WHEN", "HAVING", "BY");

  /** Words after a name that make it an operand (compared, matched, tested), not a boolean. */
  private static final Set<String> OPERAND_BEFORE =
      Set.of("IN", "NOT", "LIKE", "GLOB", "BETWEEN", "COLLATE", "MATCH", "REGEXP", "ESCAPE", "IS");

  /** Words that end a FROM list's search backwards: the name is not a table there. */
  private static final Set<String> CLAUSES =
      Set.of(
          "SELECT", "WHERE", "ON", "GROUP", "ORDER", "HAVING", "LIMIT", "VALUES", "USING", "BY",
          "WHEN", "THEN", "ELSE", "AND", "OR");

  private ViewBooleans() {}

  /**
   * The column references of a view over {@code tables} (by lower-cased source name): boolean
   * columns only; every other name is translated as before (null).
   */
  static Function<String, ExpressionTranslator.ColumnRef> columns(
      List<Token> tokens, Map<String, TablePlan> tables) {
    Map<String, List<ColumnPlan>> byName = new HashMap<>();
    for (Token t : tokens) {
      if (!t.isName()) {
        continue;
      }
      TablePlan table = tables.get(t.text().toLowerCase(Locale.ROOT));
      if (table != null && !byName.containsKey("\0" + table.name())) {
        byName.put("\0" + table.name(), List.of());
        for (ColumnPlan c : table.columns()) {
          byName
              .computeIfAbsent(c.source().name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
              .add(c);
        }
      }
    }
    return name -> {
      List<ColumnPlan> found = byName.get(name.toLowerCase(Locale.ROOT));
      if (found == null || found.stream().noneMatch(ViewBooleans::isBoolean)) {
        return null;
      }
      boolean allBoolean = found.stream().allMatch(ViewBooleans::isBoolean);
      boolean oneName = found.stream().map(ColumnPlan::name).distinct().count() == 1;
      return new ExpressionTranslator.ColumnRef(
          oneName ? found.get(0).name() : Names.lowerAscii(name),
          allBoolean ? PgType.BOOLEAN : AMBIGUOUS);
    };
  }

  private static boolean isBoolean(ColumnPlan c) {
    return c.type().kind() == PgType.Kind.BOOLEAN;
  }

  static boolean isAmbiguous(ExpressionTranslator.ColumnRef ref) {
    return ref.type().equals(AMBIGUOUS);
  }

  /**
   * How many tokens from {@code j} compare the boolean before them with 0 or 1 ({@code = 1}, {@code
   * <> 0}, {@code IN (0, 1)}, {@code NOT IN (1)}), or 0 when they do not.
   */
  static int literalComparison(List<Token> tokens, int j) {
    Token op = at(tokens, j);
    if (op == null) {
      return 0;
    }
    if (op.kind() == Kind.OPERATOR && Set.of("=", "==", "!=", "<>").contains(op.text())) {
      Token after = at(tokens, j + 2);
      return zeroOrOne(at(tokens, j + 1))
              && (after == null || after.kind() != Kind.OPERATOR || after.text().equals("."))
          ? 2
          : 0;
    }
    int in = op.is("NOT") && at(tokens, j + 1) != null && at(tokens, j + 1).is("IN") ? j + 1 : j;
    if (!at(tokens, in).is("IN") || at(tokens, in + 1) == null) {
      return 0;
    }
    if (at(tokens, in + 1).kind() != Kind.LPAREN) {
      return 0;
    }
    int k = in + 2;
    while (zeroOrOne(at(tokens, k))) {
      Token sep = at(tokens, k + 1);
      if (sep != null && sep.kind() == Kind.RPAREN) {
        return k + 1 - j + 1;
      }
      if (sep == null || sep.kind() != Kind.COMMA) {
        return 0;
      }
      k += 2;
    }
    return 0;
  }

  private static boolean zeroOrOne(Token t) {
    return t != null && t.kind() == Kind.NUMBER && (t.text().equals("0") || t.text().equals("1"));
  }

  /**
   * True when the name in tokens {@code start..end} stands where a boolean is meant as itself: a
   * select-list item, a condition (WHERE, AND, OR, NOT, WHEN, ON, HAVING), an ORDER/GROUP BY key.
   */
  static boolean standsAlone(List<Token> tokens, int start, int end) {
    Token before = at(tokens, start - 1);
    Token next = at(tokens, end + 1);
    boolean beforeOk =
        before == null
            || (before.kind() == Kind.WORD && STANDS_AFTER.contains(before.upper()))
            || (before.kind() == Kind.COMMA && depth(tokens, start) == 0)
            || (before.kind() == Kind.LPAREN && grouping(tokens, start - 1));
    if (!beforeOk || next == null) {
      return beforeOk;
    }
    return switch (next.kind()) {
      case SEMICOLON, RPAREN, QUOTED_NAME -> true;
      case COMMA -> depth(tokens, end + 1) == 0;
      case WORD -> !OPERAND_BEFORE.contains(next.upper()) || isNullTest(tokens, end + 1);
      default -> false;
    };
  }

  /** {@code IS NULL} / {@code IS NOT NULL} at {@code j}: a test any type takes. */
  private static boolean isNullTest(List<Token> tokens, int j) {
    if (!at(tokens, j).is("IS")) {
      return false;
    }
    Token a = at(tokens, j + 1);
    Token b = a != null && a.is("NOT") ? at(tokens, j + 2) : a;
    return b != null && b.is("NULL");
  }

  /**
   * True when the '(' at {@code open} groups a condition rather than opening a call's arguments.
   */
  private static boolean grouping(List<Token> tokens, int open) {
    Token before = at(tokens, open - 1);
    return before == null
        || before.kind() == Kind.LPAREN
        || (before.kind() == Kind.WORD && STANDS_AFTER.contains(before.upper()));
  }

  /** Parenthesis depth at token {@code j}. */
  private static int depth(List<Token> tokens, int j) {
    int d = 0;
    for (int k = 0; k < j; k++) {
      if (tokens.get(k).kind() == Kind.LPAREN) {
        d++;
      } else if (tokens.get(k).kind() == Kind.RPAREN) {
        d--;
      }
    }
    return d;
  }

  /** True when the name at {@code start} is in a FROM list (after FROM, JOIN, or a comma there). */
  static boolean readsFrom(List<Token> tokens, int start) {
    Token before = at(tokens, start - 1);
    if (before == null) {
      return false;
    }
    if (before.is("FROM") || before.is("JOIN")) {
      return true;
    }
    if (before.kind() != Kind.COMMA) {
      return false;
    }
    int d = 0;
    for (int k = start - 2; k >= 0; k--) {
      Token t = tokens.get(k);
      if (t.kind() == Kind.RPAREN) {
        d++;
      } else if (t.kind() == Kind.LPAREN) {
        if (d-- == 0) {
          return false;
        }
      } else if (d == 0 && t.is("FROM")) {
        return true;
      } else if (d == 0 && t.kind() == Kind.WORD && CLAUSES.contains(t.upper())) {
        return false;
      }
    }
    return false;
  }

  private static Token at(List<Token> tokens, int j) {
    return j >= 0 && j < tokens.size() ? tokens.get(j) : null;
  }
}
