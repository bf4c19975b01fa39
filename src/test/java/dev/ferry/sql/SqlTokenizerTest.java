package dev.ferry.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.sql.Token.Kind;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer reads SQLite SQL as SQLite does: it undoes SqlText's quoting for any string, keeps
 * every token's place in the text, drops comments, and names the offset of what is unterminated.
 */
class SqlTokenizerTest {
  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange((char) 1, (char) 0xD7FF).ofMaxLength(30),
        Arbitraries.of("'", "\"", "`", "]", "--", "/*", "*/", "\n", "x'", ";", "(", " ")
            .list()
            .ofMaxSize(8)
            .map(l -> String.join("", l)));
  }

  @Property(tries = 500)
  void aQuotedIdentifierIsOneNameToken(@ForAll("text") String name) {
    List<Token> tokens = SqlTokenizer.tokenize("SELECT " + SqlText.ident(name) + " FROM t");
    assertThat(tokens).hasSize(4);
    assertThat(tokens.get(1).kind()).isEqualTo(Kind.QUOTED_NAME);
    assertThat(tokens.get(1).text()).isEqualTo(name);
    assertThat(tokens.get(1).isName()).isTrue();
  }

  @Property(tries = 500)
  void aLiteralIsOneStringToken(@ForAll("text") String s) {
    String sql = "x = " + SqlText.literal(s) + ";";
    List<Token> tokens = SqlTokenizer.tokenize(sql);
    assertThat(tokens)
        .extracting(Token::kind)
        .containsExactly(Kind.WORD, Kind.OPERATOR, Kind.STRING, Kind.SEMICOLON);
    assertThat(tokens.get(2).text()).isEqualTo(s);
    assertThat(sql.substring(tokens.get(2).start(), tokens.get(2).end()))
        .isEqualTo(SqlText.literal(s));
  }

  @Test
  void everyKindOfTokenKeepsItsPlace() {
    String sql =
        "CREATE TABLE [my table] (`a b` INT DEFAULT 0x1F, c REAL DEFAULT 1.5e-3, d BLOB DEFAULT"
            + " x'00ff', e TEXT CHECK (e <> 'x' AND e IS NOT ?1 AND d ->> '$.k' >= :p)); -- done";
    List<Token> tokens = SqlTokenizer.tokenize(sql);
    for (Token t : tokens) {
      String raw = sql.substring(t.start(), t.end());
      switch (t.kind()) {
        case WORD, NUMBER, OPERATOR, PARAMETER, LPAREN, RPAREN, COMMA, SEMICOLON ->
            assertThat(raw).isEqualTo(t.text());
        default -> assertThat(raw).contains(t.text());
      }
    }
    assertThat(tokens)
        .filteredOn(t -> t.kind() == Kind.QUOTED_NAME)
        .extracting(Token::text)
        .containsExactly("my table", "a b");
    assertThat(tokens)
        .filteredOn(t -> t.kind() == Kind.NUMBER)
        .extracting(Token::text)
        .containsExactly("0x1F", "1.5e-3");
    assertThat(tokens)
        .filteredOn(t -> t.kind() == Kind.BLOB)
        .extracting(Token::text)
        .containsExactly("00ff");
    assertThat(tokens)
        .filteredOn(t -> t.kind() == Kind.OPERATOR)
        .extracting(Token::text)
        .containsExactly("<>", "->>", ">=");
    assertThat(tokens)
        .filteredOn(t -> t.kind() == Kind.PARAMETER)
        .extracting(Token::text)
        .containsExactly("?1", ":p");
    assertThat(tokens.get(tokens.size() - 1).kind()).isEqualTo(Kind.SEMICOLON);
    assertThat(tokens.get(0).is("create")).isTrue();
    assertThat(tokens.get(0).upper()).isEqualTo("CREATE");
  }

  @Test
  void commentsAndWhiteSpaceAreNotTokens() {
    assertThat(SqlTokenizer.tokenize("  /* a ' \" */ -- b '\n\t/* unterminated")).isEmpty();
  }

  @Test
  void anUnterminatedLiteralNamesItsOffset() {
    assertThatThrownBy(() -> SqlTokenizer.tokenize("SELECT 'abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 7");
    assertThatThrownBy(() -> SqlTokenizer.tokenize("SELECT [abc")).hasMessageContaining("offset 7");
    assertThatThrownBy(() -> SqlTokenizer.tokenize("SELECT x'ab")).hasMessageContaining("offset 7");
    assertThatThrownBy(() -> SqlTokenizer.tokenize("SELECT \"a\"\"b"))
        .hasMessageContaining("offset 7");
  }
}
