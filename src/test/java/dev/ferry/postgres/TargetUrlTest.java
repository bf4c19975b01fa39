package dev.ferry.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A target is read as libpq reads it: the URI and key/value examples of PostgreSQL's manual
 * (§34.1.1) give the same host, port, database, user and parameters; what libpq refuses, or pgjdbc
 * cannot do, is refused with exit 1 and a message saying what is wrong; nothing falls back to a
 * default.
 */
class TargetUrlTest {
  private static final String ME = System.getProperty("user.name");

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          postgresql://                                            | localhost:5432           | ME        | ME
          postgresql://localhost                                   | localhost:5432           | ME        | ME
          postgresql://localhost:5433                              | localhost:5433           | ME        | ME
          postgresql://localhost/mydb                              | localhost:5432           | mydb      | ME
          postgresql://user@localhost                              | localhost:5432           | user      | user
          postgresql://user:secret@localhost                       | localhost:5432           | user      | user
          postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp | localhost:5432 | otherdb | other
          postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp | host1:123,host2:456 | somedb | ME
          postgresql:///mydb?host=localhost&port=5433              | localhost:5433           | mydb      | ME
          postgresql://[2001:db8::1234]/database                   | [2001:db8::1234]:5432    | database  | ME
          postgresql://[::1]:6000/db                               | [::1]:6000               | db        | ME
          postgresql://user@localhost:5433/mydb?options=-c%20synchronous_commit%3Doff | localhost:5433 | mydb | user
          postgres://root:pw@db_server.internal:6543/db            | db_server.internal:6543  | db        | root
          postgresql://a%40b:p%2Fw@h/my%20db+x                     | h:5432                   | my db+x   | a@b
          jdbc:postgresql://h1,h2:5433/app?sslmode=require         | h1:5432,h2:5433          | app       | ME
          host=localhost port=5432 dbname=mydb connect_timeout=10  | localhost:5432           | mydb      | ME
          host=h1,h2 port=1,2 user=u password='a b\\'c' dbname = 'my db' | h1:1,h2:2          | my db     | u
          """)
  void readsLibpqExamples(String url, String hosts, String database, String user) {
    TargetUrl t = TargetUrl.parse(url);
    String expectedDb = database.equals("ME") ? ME : database;
    String expectedUser = user.equals("ME") ? ME : user;
    assertThat(t.display())
        .isEqualTo(
            "postgresql://"
                + Hosts.escape(expectedUser)
                + "@"
                + hosts
                + "/"
                + Hosts.escape(expectedDb));
    assertThat(t.database()).isEqualTo(expectedDb);
    assertThat(t.user()).isEqualTo(expectedUser);
    assertThat(TargetUrl.parse(t.display()).display())
        .as("what is displayed parses back to the same place")
        .isEqualTo(t.display());
  }

  @Test
  void parametersReachPgjdbcUnderItsNames() {
    TargetUrl t =
        TargetUrl.parse(
            "postgresql://u:p%40ss@h/db?sslmode=verify-full&application_name=app"
                + "&connect_timeout=7&target_session_attrs=read-write&options=-c%20x%3Dy");
    assertThat(t.properties())
        .containsEntry("sslmode", "verify-full")
        .containsEntry("ApplicationName", "app")
        .containsEntry("connectTimeout", "7")
        .containsEntry("targetServerType", "primary")
        .containsEntry("options", "-c x=y")
        .containsEntry("password", "p@ss")
        .containsEntry("user", "u");
    assertThat(TargetUrl.parse("postgresql://h/db").properties())
        .containsEntry("ApplicationName", "ferry");
    assertThat(TargetUrl.parse("postgresql://h/my%2Fdb%3F").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h:5432/my%2Fdb%3F");
  }

  @Test
  void environmentVariablesAreReadLikeLibpq() {
    TargetUrl t =
        TargetUrl.resolve(
            null,
            Map.of("PGHOST", "a,b", "PGPORT", "5433", "PGUSER", "me", "PGSSLMODE", "require"));
    assertThat(t.display()).isEqualTo("postgresql://me@a:5433,b:5433/me");
    assertThat(t.parameter("sslmode")).isEqualTo("require");
    assertThat(TargetUrl.resolve(null, Map.of())).as("nothing set: the embedded server").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          postgresql://h:notaport/db                        | the port of host h is not a number
          postgresql://h:99999/db                           | port 99999 of host h is out of range: use 1 to 65535
          postgresql://h:0/db                               | port 0 of host h is out of range
          postgresql://h1:x,h2/db                           | the port of host h1 is not a number
          postgresql:///db?host=h1,h2&port=1,2,3            | 3 ports for 2 hosts
          postgresql://[::1/db                              | an IPv6 host must end with ']'
          postgresql://h/db?sslmode=sometimes               | sslmode must be one of
          postgresql://h/db?nosuchthing=1                   | unknown parameter 'nosuchthing'
          postgresql://u:pw@h/db?nosuchthing=1              | its name is not shown
          postgresql://h/db?service=x                       | the parameter service has no equivalent in pgjdbc
          postgresql://h/db?client_encoding=LATIN1          | client_encoding must be UTF8
          postgresql://h/d%zzb                              | '%' not followed by two hex digits
          postgresql://h/d%00b                              | %00
          postgresql://h/db?sslmode                         | every query parameter needs a name
          postgresql:///db?host=/var/run/postgresql         | Unix-domain socket
          postgresql://%2Fvar%2Frun%2Fpostgresql/db         | Unix-domain socket
          mysql://root@localhost/x                          | must start with postgresql://
          localhost:5432/db                                 | must start with postgresql://
          jdbc:mysql://localhost/x                          | must start with jdbc:postgresql://
          jdbc:postgresql://h/db?nosuch=1                   | unknown pgjdbc parameter 'nosuch'
          host=h dbname='unterminated                       | no closing quote
          host=h dbname                                     | has no '='
          postgresql://h%20x/db                             | the host name 'h x' contains ' '
          """)
  void refusesWhatLibpqOrPgjdbcCannotUse(String url, String message) {
    assertThatThrownBy(() -> TargetUrl.parse(url))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("the target URL is not valid")
        .hasMessageContaining(message)
        .extracting(e -> ((FerryException) e).code())
        .isEqualTo(ErrorCode.USAGE);
  }

  @Test
  void severalHostsAreTriedInOrderByTheDriver() throws Exception {
    TargetUrl db = TestPostgres.newDatabase();
    TargetUrl twoHosts =
        TargetUrl.parse(
            "postgresql://"
                + db.user()
                + "@127.0.0.1:1,127.0.0.1:"
                + db.ports().get(0)
                + "/"
                + db.database()
                + "?connect_timeout=5&application_name=ferry-test");
    assertThat(twoHosts.hosts()).hasSize(2);
    try (Connection c = DriverManager.getConnection(twoHosts.jdbcUrl(), twoHosts.properties());
        ResultSet r =
            c.createStatement()
                .executeQuery("SELECT current_database(), current_setting('application_name')")) {
      r.next();
      assertThat(List.of(r.getString(1), r.getString(2)))
          .containsExactly(db.database(), "ferry-test");
    }
  }
}
