package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user reads when a value does not fit, and the canonical texts of common cases. */
class ConversionExamplesTest {
  private static String convert(String type, Object value) throws ValueDoesNotFit {
    return Conversion.to(CatalogType.parse(type)).copyText(value);
  }

  private static void refused(String type, Object value, String reason) {
    assertThatThrownBy(() -> convert(type, value))
        .as(type + " of " + value)
        .isInstanceOf(ValueDoesNotFit.class)
        .hasMessageContaining(reason);
  }

  @Test
  void reasonsNameTheValueAndTheType() {
    refused(
        "character varying(20)", "x".repeat(31), "31 characters do not fit character varying(20)");
    refused("smallint", 40_000L, "40000 is out of range for smallint");
    refused(
        "numeric(8,2)", "12.345", "more than 2 fraction digits, which numeric(8,2) would round");
    refused("numeric(4,2)", 123L, "3 integer digits; numeric(4,2) holds 2");
    refused("integer", 2.5, "has a fraction");
    refused("timestamp with time zone", "yesterday", "is not a timestamp");
    refused("timestamp with time zone", 1_700_000_000L, "through a transform (epoch_seconds");
    refused("uuid", "not-a-uuid", "is not a uuid");
    refused("jsonb", "{\"a\": 1, \"a\": 2}", "jsonb cannot hold exactly");
    refused("json", "{oops", "is not JSON");
    refused("boolean", "maybe", "is not a boolean");
    refused("double precision", "0.10000000000000000001", "is not exactly a double precision");
    refused("character(3)", "ab ", "ends in spaces");
    refused("integer[]", "[1, 2.5]", "has a fraction");
    // halfway between two floats: PostgreSQL stores 67108896 and prints 6.7108896e+07
    refused("real", "67108900", "is not exactly a real");
  }

  @Test
  void canonicalTextsAreWhatPostgresPrints() throws ValueDoesNotFit {
    assertThat(convert("numeric(8,2)", "1.5")).isEqualTo("1.50");
    assertThat(convert("numeric(8,2)", 0.1)).isEqualTo("0.10");
    assertThat(convert("numeric", "1.5e3")).isEqualTo("1500");
    assertThat(convert("boolean", "yes")).isEqualTo("t");
    assertThat(convert("boolean", 0L)).isEqualTo("f");
    assertThat(convert("timestamp without time zone", "2024-01-01 10:00+05:00"))
        .as("the UTC wall time of the instant, as a {date:} pattern with an offset gives")
        .isEqualTo("2024-01-01 05:00:00");
    assertThat(convert("timestamptz", "2024-05-08T23:32:23.5+02:00"))
        .isEqualTo("2024-05-08 21:32:23.5+00");
    assertThat(convert("date", "2024-02-29")).isEqualTo("2024-02-29");
    assertThat(convert("uuid", "{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}"))
        .isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(convert("jsonb", "{\"b\":1,\"a\":[true,null]}"))
        .isEqualTo("{\"a\": [true, null], \"b\": 1}");
    assertThat(convert("text[]", "[\"a b\", null, \"NULL\", \"x\"]"))
        .isEqualTo("{\"a b\",NULL,\"NULL\",x}");
    assertThat(convert("bytea", new byte[] {1, (byte) 0xff})).isEqualTo("\\x01ff");
    assertThat(convert("real", 0.1)).isEqualTo("0.1");
    assertThat(convert("integer", null)).isNull();
  }

  @Test
  void enumsAcceptTheirLabelsAndDomainsConvertAsTheirBase() throws ValueDoesNotFit {
    Conversion mood = Conversion.to(CatalogType.enumOf("mood", List.of("sad", "ok")));
    assertThat(mood.copyText("ok")).isEqualTo("ok");
    assertThatThrownBy(() -> mood.copyText("Ok"))
        .hasMessageContaining("\"Ok\" is not a label of mood [sad, ok]");
    Conversion domain =
        Conversion.to(CatalogType.domainOf("short_name", CatalogType.parse("varchar(3)")));
    assertThatThrownBy(() -> domain.copyText("abcd")).hasMessageContaining("4 characters");
    assertThat(domain.checked()).isTrue();
    assertThat(Conversion.to(CatalogType.parse("inet")).checked()).isFalse();
  }

  @Test
  void catalogTypesParseWhatFormatTypePrints() {
    assertThat(CatalogType.parse("character varying(20)"))
        .extracting(CatalogType::kind, CatalogType::length)
        .containsExactly(CatalogType.Kind.VARCHAR, 20);
    assertThat(CatalogType.parse("numeric(10,2)"))
        .extracting(CatalogType::kind, CatalogType::precision, CatalogType::scale)
        .containsExactly(CatalogType.Kind.NUMERIC, 10, 2);
    assertThat(CatalogType.parse("numeric").precision()).isEqualTo(-1);
    assertThat(CatalogType.parse("character varying").length()).isEqualTo(-1);
    assertThat(CatalogType.parse("character(1)").length()).isEqualTo(1);
    assertThat(CatalogType.parse("timestamp with time zone").kind())
        .isEqualTo(CatalogType.Kind.TIMESTAMPTZ);
    assertThat(CatalogType.parse("text[]").element().kind()).isEqualTo(CatalogType.Kind.TEXT);
    assertThat(CatalogType.parse("tsvector").kind()).isEqualTo(CatalogType.Kind.OTHER);
  }
}
