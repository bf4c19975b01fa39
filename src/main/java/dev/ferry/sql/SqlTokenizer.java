package dev.ferry.sql;

import dev.ferry.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits SQLite SQL into tokens, following SQLite's own lexical rules (tokenize.c). */
public final class SqlTokenizer {
  private SqlTokenizer() {}

  /**
   * Tokens of {@code sql}, comments and white space dropped.
   *
   * @throws IllegalArgumentException on an unterminated literal or comment, naming the offset
   */
  public static List<Token> tokenize(String sql) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'') {
        i = quoted(sql, i, '\'', Kind.STRING, out);
      } else if (c == '"') {
        i = quoted(sql, i, '"', Kind.QUOTED_NAME, out);
      } else if (c == '`') {
        i = quoted(sql, i, '`', Kind.QUOTED_NAME, out);
      } else if (c == '[') {
        int close = sql.indexOf(']', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated [name] at offset " + i);
        }
        out.add(new Token(Kind.QUOTED_NAME, sql.substring(i + 1, close), i, close + 1));
        i = close + 1;
      } else if ((c == 'x' || c == 'X') && i + 1 < n && sql.charAt(i + 1) == '\'') {
        int close = sql.indexOf('\'', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated blob literal at offset " + i);
        }
        out.add(new Token(Kind.BLOB, sql.substring(i + 2, close), i, close + 1));
        i = close + 1;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        i = number(sql, i);
        out.add(new Token(Kind.NUMBER, sql.substring(start, i), start, i));
      } else if (isWordStart(c)) {
        while (i < n && isWordPart(sql.charAt(i))) {
          i++;
        }
        out.add(new Token(Kind.WORD, sql.substring(start, i), start, i));
      } else if (c == '?' || c == ':' || c == '@' || c == '$') {
        i++;
        while (i < n && isWordPart(sql.charAt(i))) {
          i++;
        }
        out.add(new Token(Kind.PARAMETER, sql.substring(start, i), start, i));
      } else if (c == '(') {
        out.add(new Token(Kind.LPAREN, "(", i, ++i));
      } else if (c == ')') {
        out.add(new Token(Kind.RPAREN, ")", i, ++i));
      } else if (c == ',') {
        out.add(new Token(Kind.COMMA, ",", i, ++i));
      } else if (c == ';') {
        out.add(new Token(Kind.SEMICOLON, ";", i, ++i));
      } else {
        i = operator(sql, i);
        out.add(new Token(Kind.OPERATOR, sql.substring(start, i), start, i));
      }
    }
    return out;
  }

  private static int quoted(String sql, int i, char q, Kind kind, List<Token> out) {
    StringBuilder value = new StringBuilder();
    int j = i + 1;
    while (true) {
      if (j >= sql.length()) {
        throw new IllegalArgumentException("unterminated " + q + " literal at offset " + i);
      }
      char c = sql.charAt(j);
      if (c == q) {
        if (j + 1 < sql.length() && sql.charAt(j + 1) == q) {
          value.append(q);
          j += 2;
          continue;
        }
        out.add(new Token(kind, value.toString(), i, j + 1));
        return j + 1;
      }
      value.append(c);
      j++;
    }
  }

  private static int number(String sql, int i) {
    int n = sql.length();
    if (sql.startsWith("0x", i) || sql.startsWith("0X", i)) {
      i += 2;
      while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
      i++;
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && Character.isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static int operator(String sql, int i) {
    String[] twoChar = {"||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->"};
    if (sql.startsWith("->>", i)) {
      return i + 3;
    }
    for (String op : twoChar) {
      if (sql.startsWith(op, i)) {
        return i + 2;
      }
    }
    return i + 1;
  }

  private static boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_' || c > 0x7f;
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
  }
}
