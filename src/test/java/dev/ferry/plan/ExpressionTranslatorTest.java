package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionTranslatorTest {
  private static final Map<String, ExpressionTranslator.ColumnRef> COLUMNS =
      Map.of(
          "status", new ExpressionTranslator.ColumnRef("status", PgType.TEXT),
          "flag", new ExpressionTranslator.ColumnRef("flag", PgType.BOOLEAN),
          "doc", new ExpressionTranslator.ColumnRef("doc", PgType.JSONB),
          "raw", new ExpressionTranslator.ColumnRef("raw", PgType.TEXT),
          "n", new ExpressionTranslator.ColumnRef("n", PgType.BIGINT),
          "first name", new ExpressionTranslator.ColumnRef("first name", PgType.TEXT));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "status IN ('a', 'b')|\"status\" IN ('a', 'b')",
        "length(\"first name\") > 0|length(\"first name\") > 0",
        "[first name] == 'x'|\"first name\" = 'x'",
        "flag IN (0, 1)|(\"flag\"::int) IN (0, 1)",
        "n IS NOT NULL AND n IS NOT 5|\"n\" IS NOT NULL AND \"n\" IS DISTINCT FROM 5",
        "n IS 5|\"n\" IS NOT DISTINCT FROM 5",
        "ifnull(n, 0) + 0x10|coalesce(\"n\", 0) + 16",
        "status LIKE 'a%'|\"status\" ILIKE 'a%'",
        "status GLOB 'a*_?'|\"status\" LIKE 'a%\\__'",
        "json_valid(doc)|TRUE",
        "json_valid(raw)|pg_input_is_valid(\"raw\", 'jsonb')",
        "datetime('now')|CURRENT_TIMESTAMP",
        "strftime('%s', 'now')|(extract(epoch from now()))::bigint",
        "CAST(n AS TEXT) <> ''|CAST(\"n\" AS text) <> ''",
        "max(n, 3)|greatest(\"n\", 3)",
        "CASE WHEN n > 1 THEN 'x' ELSE \"status\" END|CASE WHEN \"n\" > 1 THEN 'x' ELSE \"status\" END",
      })
  void translates(String sqlite, String postgres) {
    Translation t =
        ExpressionTranslator.expression(
            sqlite, n -> COLUMNS.get(n.toLowerCase(java.util.Locale.ROOT)));
    assertThat(t.problem()).isNull();
    assertThat(t.sql()).isEqualTo(postgres);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "status GLOB '[abc]*'|GLOB",
        "typeof(n) = 'integer'|typeof",
        "json_extract(raw, '$.a') = 1|json_extract",
        "status REGEXP 'x'|REGEXP",
        "n = ?|bind parameter",
        "unknown_col > 1|unknown name",
        "datetime(status, '+1 day')|only translated for 'now'",
        "raw ->> '$.a'|JSON operator",
      })
  void refusesWhatHasNoFaithfulTranslation(String sqlite, String reason) {
    Translation t =
        ExpressionTranslator.expression(
            sqlite, n -> COLUMNS.get(n.toLowerCase(java.util.Locale.ROOT)));
    assertThat(t.ok()).isFalse();
    assertThat(t.problem()).contains(reason);
  }
}
