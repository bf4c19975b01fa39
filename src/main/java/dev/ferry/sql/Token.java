package dev.ferry.sql;

import java.util.Locale;

/** One lexical token of SQLite SQL, with its place in the statement it came from. */
public record Token(Kind kind, String text, int start, int end) {

  /** Token kinds; comments and white space are not tokens. */
  public enum Kind {
    /** A bare word: keyword, function or unquoted name. {@link #text} is as written. */
    WORD,
    /** A quoted name ("x", [x] or `x`); {@link #text} is the name without quotes. */
    QUOTED_NAME,
    /** A string literal; {@link #text} is the value with '' unescaped. */
    STRING,
    NUMBER,
    /** A blob literal X'..'; {@link #text} is the hex digits. */
    BLOB,
    /** A bind parameter (?, ?1, :name, @name, $name). */
    PARAMETER,
    LPAREN,
    RPAREN,
    COMMA,
    SEMICOLON,
    /** An operator or other punctuation. */
    OPERATOR
  }

  /** True for a bare word equal (ignoring ASCII case) to {@code keyword}. */
  public boolean is(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  /** True for a name, quoted or bare. */
  public boolean isName() {
    return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
  }

  /** Upper-case text of a bare word, for keyword matching. */
  public String upper() {
    return text.toUpperCase(Locale.ROOT);
  }
}
