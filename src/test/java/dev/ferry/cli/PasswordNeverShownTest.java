package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.FerryException;
import dev.ferry.postgres.Redaction;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * No output carries a password, whatever the input: connection strings well- and ill-formed, with
 * the password in user:password@, in ?password= or in password=, given as --target or by mistake as
 * the SOURCE, go through parsing, display, redaction, error messages and the command line's whole
 * output without the password appearing.
 */
class PasswordNeverShownTest {
  private static final String SECRET = "Sekr3tMarker";
  private static final String ODD = "a1:@/?#%&=,[] '\\+";
  private static final String UNREACHABLE = "postgresql://127.0.0.1:1/x";

  @Property(tries = 150)
  void noMessageOrOutputCarriesThePassword(@ForAll("connectionStrings") String given) {
    parsingAndRedactionNeverCarryThePassword(given);
    Ferry.Result asTarget = Ferry.run("migrate", "missing.db", "--target", given, "--jobs", "0");
    assertThat(asTarget.exitCode()).isEqualTo(1);
    assertThat(asTarget.all()).doesNotContain(SECRET);
    Ferry.Result asSource = Ferry.run("migrate", given, "--target", UNREACHABLE, "--dry-run");
    assertThat(asSource.exitCode()).isNotZero();
    assertThat(asSource.all()).doesNotContain(SECRET);
    Ferry.Result verify = Ferry.run("verify", given, "--target", UNREACHABLE);
    assertThat(verify.all()).doesNotContain(SECRET);
  }

  @org.junit.jupiter.api.Test
  void aPasswordWhoseSlashEndsTheHostPartEarlyIsRefusedNotReadAsTheDatabase() {
    // "root:@/" + secret: the authority ends at the first '/', leaving the secret in the path
    String given = "postgresql://root:@/" + SECRET + "@h/db";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TargetUrl.parse(given))
        .isInstanceOf(FerryException.class)
        .hasMessageNotContaining(SECRET)
        .hasMessageContaining("%2F");
  }

  @org.junit.jupiter.api.Test
  void aPasswordThatBeginsWithTheSlashesOfASchemeIsHiddenWhenNoSchemeComesBefore() {
    // user "" or "u" + ':' + password "//secret": the "://" is not the end of a scheme
    for (String given :
        java.util.List.of(
            "://" + SECRET + "@h/db", "u://" + SECRET + "@h", "::://" + SECRET + "@h/db")) {
      assertThat(Redaction.redact(given)).doesNotContain(SECRET);
      assertThat(Redaction.scrub("could not read " + given, java.util.List.of(given)))
          .doesNotContain(SECRET);
      assertThat(Ferry.run("migrate", "missing.db", "--target", given, "--jobs", "0").all())
          .doesNotContain(SECRET);
    }
  }

  /** The cheap half of the property, many more times: parsing and redaction without a process. */
  @Property(tries = 20000)
  void parsingAndRedactionNeverCarryThePassword(@ForAll("connectionStrings") String given) {
    try {
      TargetUrl t = TargetUrl.parse(given);
      assertThat(t.display()).doesNotContain(SECRET);
      assertThat(t.toString()).doesNotContain(SECRET);
      assertThat(t.jdbcUrl()).doesNotContain(SECRET);
    } catch (FerryException e) {
      assertThat(e.getMessage()).doesNotContain(SECRET);
    }
    assertThat(Redaction.redact(given)).doesNotContain(SECRET);
    assertThat(Redaction.scrub("given: " + given, java.util.List.of(given))).doesNotContain(SECRET);
  }

  @Provide
  Arbitrary<String> connectionStrings() {
    Arbitrary<String> password =
        Combinators.combine(odd(), odd()).as((before, after) -> before + SECRET + after);
    Arbitrary<String> scheme =
        Arbitraries.of(
            "postgresql://",
            "postgres://",
            "jdbc:postgresql://",
            "",
            "mysql://",
            "postgresql:/",
            "http://",
            "jdbc:mysql://");
    Arbitrary<String> user = Arbitraries.of("", "u", "root", "a:b", "us%40er");
    Arbitrary<String> hosts =
        Arbitraries.of(
            "h",
            "db_server.internal",
            "h:99999",
            "h:notaport",
            "[::1]",
            "[::1",
            "%2Fvar%2Frun",
            "h1:1,h2:2",
            "",
            "h:");
    Arbitrary<String> path = Arbitraries.of("/db", "", "/", "/d%20b", "/%zz");
    Arbitrary<String> query =
        Arbitraries.of("", "?sslmode=require", "?sslmode=bad", "?x", "?application_name=a");
    Arbitrary<String> inUserInfo =
        Combinators.combine(scheme, user, password, hosts, path, query)
            .as((s, u, p, h, d, q) -> s + u + ":" + p + "@" + h + d + q);
    Arbitrary<String> inQuery =
        Combinators.combine(scheme, hosts, path, password, query)
            .as((s, h, d, p, q) -> s + h + d + "?password=" + p + q.replace('?', '&'));
    Arbitrary<String> keyValue =
        Combinators.combine(password, Arbitraries.of("", "'"), Arbitraries.of("", " port=x"))
            .as((p, quote, extra) -> "host=h user=u password=" + quote + p + quote + extra);
    return Arbitraries.oneOf(inUserInfo, inQuery, keyValue);
  }

  private static Arbitrary<String> odd() {
    return Arbitraries.strings().withChars(ODD.toCharArray()).ofMinLength(0).ofMaxLength(3);
  }
}
