package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated hostile query strings against every endpoint: the answer is always a well-formed 2xx,
 * 400 or 404 JSON answer (never a 500, never a stack trace), and the data is untouched.
 */
class ExplorerFuzzTest {
  private static final List<String> ENDPOINTS =
      List.of(
          "/api/tables",
          "/api/tables/public/tweets",
          "/api/tables/public/tweets/rows",
          "/api/tables/public/users/row",
          "/api/tables/public/tweets/export",
          "/api/tables/public/tweets/count",
          "/api/tables/public/tweets/facets",
          "/api/tables/public/tweets/facets/suggested",
          "/api/sql",
          "/api/tables/public/tweets/histogram",
          "/api/tables/public/referral_codes/histogram",
          "/api/queries",
          "/api/queries/by_lang",
          "/api/queries/user_tweets",
          "/api/queries/nope",
          "/api/tables/public/nope/rows",
          "/api/tables/pub%27lic/tweets/rows",
          "/api/runs",
          "/api/runs/00000000-0000-0000-0000-000000000000/fixups",
          "/api/runs/x'--/rejects",
          "/api/runs/00000000-0000-0000-0000-000000000000",
          "/api/session",
          "/api/openapi.json",
          "/health");

  @Property(tries = 1000)
  void hostileParametersNeverBreakTheServer(
      @ForAll("endpoints") String endpoint, @ForAll("queries") String query) throws Exception {
    ExplorerFixture f = ExplorerFixture.get();
    ExplorerFixture.Response r = f.get(endpoint + "?" + query);
    assertThat(r.status()).as("%s?%s → %s", endpoint, query, r.body()).isIn(200, 400, 404, 503);
    if (r.status() != 200) {
      assertThat(r.json().get("error").asText()).as(r.body()).isNotBlank();
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Property(tries = 1)
  void theDataIsUntouched(@ForAll("endpoints") String ignored) throws Exception {
    ExplorerFixture f = ExplorerFixture.get();
    assertThat(TestPostgres.count(f.url, "SELECT count(*) FROM tweets"))
        .isEqualTo(ExplorerFixture.TWEETS);
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.of(ENDPOINTS);
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> name =
        Arbitraries.oneOf(
            Arbitraries.of(
                "limit",
                "column",
                "buckets",
                "lang",
                "n",
                "user",
                "order",
                "after",
                "q",
                "format",
                "id",
                "text",
                "metadata",
                "metadata->>lang",
                "metadata->lang->>x",
                "metadata->>'x",
                "is_reply",
                "created_at",
                "user_id",
                "table",
                "\"id\"",
                "id;--",
                "ctid",
                "__ferry_rank",
                "1=1",
                ""),
            Arbitraries.strings().ofMaxLength(20));
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "eq.1",
                "not.eq.1",
                "in.(1,2",
                "in.()",
                "is.null",
                "cs.{",
                "cs.[1]",
                "gt.'; DROP TABLE" + " tweets; --",
                "ilike.*%_\\",
                "lt.9999999999999999999999",
                "eq.\u0000",
                "desc",
                "id.desc",
                "text.asc.desc",
                "-1",
                "0",
                "1001",
                "999999999999",
                "NaN",
                "eyJvIjoiIiwidiI6bnVsbCwiayI6WyJ4Il19",
                "e30",
                "%%%",
                "csv",
                "ndjson",
                "xml",
                "not.",
                "eq.",
                ".",
                "..",
                "eq.2024-13-45",
                "gte.infinity"),
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60));
    Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> enc(n) + "=" + enc(v));
    return pair.list().ofMaxSize(4).map(l -> String.join("&", l));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
