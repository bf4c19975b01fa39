package dev.ferry.source.sqlite;

import dev.ferry.source.SourceCheck;
import dev.ferry.sql.SqlTokenizer;
import dev.ferry.sql.Token;
import dev.ferry.sql.Token.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads from a CREATE TABLE statement what SQLite's pragmas do not report: CHECK constraints,
 * generated-column expressions, collations, AUTOINCREMENT, WITHOUT ROWID and constraint names.
 */
final class CreateTableParser {

  /** What the statement says beyond the pragmas. */
  record Parsed(
      Map<String, ColumnExtras> columns,
      List<SourceCheck> checks,
      String primaryKeyName,
      List<NamedUnique> uniques,
      boolean withoutRowid,
      boolean autoincrement) {}

  record ColumnExtras(String collation, String generatedSql, boolean generatedStored) {}

  /** A UNIQUE constraint with its declared name (null when unnamed) and columns. */
  record NamedUnique(String name, List<String> columns) {}

  private static final Set<String> COLUMN_CONSTRAINT_START =
      Set.of(
          "CONSTRAINT",
          "PRIMARY",
          "NOT",
          "NULL",
          "UNIQUE",
          "CHECK",
          "DEFAULT",
          "COLLATE",
          "REFERENCES",
          "GENERATED",
          "AS");

  private final String sql;
  private final List<Token> tokens;
  private final Map<String, ColumnExtras> columns = new HashMap<>();
  private final List<SourceCheck> checks = new ArrayList<>();
  private final List<NamedUnique> uniques = new ArrayList<>();
  private String primaryKeyName;
  private boolean autoincrement;

  private CreateTableParser(String sql) {
    this.sql = sql;
    this.tokens = SqlTokenizer.tokenize(sql);
  }

  static Parsed parse(String sql) {
    return new CreateTableParser(sql).run();
  }

  private Parsed run() {
    int open = indexOf(Kind.LPAREN, 0);
    if (open < 0) { // CREATE TABLE ... AS SELECT: nothing beyond the pragmas
      return new Parsed(Map.of(), List.of(), null, List.of(), false, false);
    }
    int close = matching(open);
    int start = open + 1;
    for (int i = start; i <= close; i++) { // nested parentheses are skipped whole, so commas
      Token t = tokens.get(i); //            seen here separate the table's elements
      if (i == close || t.kind() == Kind.COMMA) {
        element(start, i);
        start = i + 1;
      } else if (t.kind() == Kind.LPAREN) {
        i = matching(i);
      }
    }
    boolean withoutRowid = false;
    for (int i = close + 1; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).is("WITHOUT") && tokens.get(i + 1).is("ROWID")) {
        withoutRowid = true;
      }
    }
    return new Parsed(columns, checks, primaryKeyName, uniques, withoutRowid, autoincrement);
  }

  private void element(int from, int to) {
    if (from >= to) {
      return;
    }
    Token first = tokens.get(from);
    String word = first.kind() == Kind.WORD ? first.upper() : "";
    if (Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN").contains(word)) {
      tableConstraint(from, to);
    } else {
      columnDefinition(from, to);
    }
  }

  private void tableConstraint(int i, int to) {
    String name = null;
    if (tokens.get(i).is("CONSTRAINT")) {
      name = tokens.get(i + 1).text();
      i += 2;
    }
    Token t = tokens.get(i);
    if (t.is("CHECK")) {
      int open = i + 1;
      checks.add(new SourceCheck(name, slice(open + 1, matching(open))));
    } else if (t.is("PRIMARY")) {
      primaryKeyName = name;
      if (i + 2 < to && tokens.get(i + 2).kind() == Kind.LPAREN) {
        for (int j = i + 3; j < matching(i + 2); j++) {
          if (tokens.get(j).is("AUTOINCREMENT")) {
            autoincrement = true;
          }
        }
      }
    } else if (t.is("UNIQUE")) {
      int open = indexOf(Kind.LPAREN, i);
      uniques.add(new NamedUnique(name, namesIn(open, matching(open))));
    }
  }

  private void columnDefinition(int from, int to) {
    String column = tokens.get(from).text();
    String collation = null;
    String generated = null;
    boolean stored = false;
    String constraintName = null;
    int i = from + 1;
    while (i < to && !isConstraintStart(tokens.get(i))) { // the type name, maybe with (n, m)
      i = tokens.get(i).kind() == Kind.LPAREN ? matching(i) + 1 : i + 1;
    }
    while (i < to) {
      Token t = tokens.get(i);
      if (t.is("CONSTRAINT")) {
        constraintName = tokens.get(i + 1).text();
        i += 2;
        continue;
      }
      if (t.is("CHECK")) {
        int open = i + 1;
        int close = matching(open);
        checks.add(new SourceCheck(constraintName, slice(open + 1, close)));
        i = close + 1;
      } else if (t.is("COLLATE")) {
        collation = tokens.get(i + 1).text().toUpperCase(Locale.ROOT);
        i += 2;
      } else if (t.is("GENERATED") || t.is("AS")) {
        int open = indexOf(Kind.LPAREN, i);
        int close = matching(open);
        generated = slice(open + 1, close);
        i = close + 1;
        if (i < to && tokens.get(i).is("STORED")) {
          stored = true;
          i++;
        }
      } else if (t.is("PRIMARY")) {
        primaryKeyName = constraintName;
        i++;
      } else if (t.is("AUTOINCREMENT")) {
        autoincrement = true;
        i++;
      } else if (t.is("UNIQUE")) {
        uniques.add(new NamedUnique(constraintName, List.of(column)));
        i++;
      } else if (t.kind() == Kind.LPAREN) {
        i = matching(i) + 1;
      } else {
        i++;
      }
      if (isConstraintStart(t) && !t.is("CONSTRAINT")) {
        constraintName = null;
      }
    }
    columns.put(key(column), new ColumnExtras(collation, generated, stored));
  }

  private static boolean isConstraintStart(Token t) {
    return t.kind() == Kind.WORD && COLUMN_CONSTRAINT_START.contains(t.upper());
  }

  private List<String> namesIn(int open, int close) {
    List<String> names = new ArrayList<>();
    boolean expectName = true;
    for (int j = open + 1; j < close; j++) {
      Token t = tokens.get(j);
      if (t.kind() == Kind.COMMA) {
        expectName = true;
      } else if (expectName && t.isName()) {
        names.add(t.text());
        expectName = false;
      }
    }
    return names;
  }

  private int indexOf(Kind kind, int from) {
    for (int i = from; i < tokens.size(); i++) {
      if (tokens.get(i).kind() == kind) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the RPAREN matching the LPAREN at {@code open}. */
  private int matching(int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      Kind k = tokens.get(i).kind();
      if (k == Kind.LPAREN) {
        depth++;
      } else if (k == Kind.RPAREN && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses in: " + sql);
  }

  /** The original text from token {@code from} up to, not including, token {@code to}. */
  private String slice(int from, int to) {
    if (from >= to) {
      return "";
    }
    return sql.substring(tokens.get(from).start(), tokens.get(to - 1).end()).trim();
  }

  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
