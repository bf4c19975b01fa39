package dev.ferry.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server never starts over a data directory another PostgreSQL major initialised (one
 * left by an earlier Ferry, or a later one): it says which directory, which versions, and how to go
 * on, and touches nothing (no initdb, no unpacking, the directory as it was).
 */
class EmbeddedServerTest {
  @TempDir Path tmp;

  @Test
  void aRememberedPortAnotherProgramTookIsReplacedAtStart() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work-port"));
    EmbeddedServer server = EmbeddedServer.in(work);
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path portFile = server.dataDirectory().getParent().resolve("port");
      Files.createDirectories(portFile.getParent());
      Files.writeString(portFile, taken.getLocalPort() + "\n");
      try {
        dev.ferry.postgres.TargetUrl url = server.start();
        assertThat(url.ports().get(0)).isNotEqualTo(taken.getLocalPort());
        assertThat(Files.readString(portFile).trim()).isEqualTo(String.valueOf(url.ports().get(0)));
        try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(url.jdbcUrl(), url.properties())) {
          assertThat(c.isValid(5)).isTrue();
        }
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void theBundledServerIsPostgres17() {
    assertThat(EmbeddedServer.postgresVersion()).startsWith("17.");
    assertThat(EmbeddedServer.majorOf(EmbeddedServer.postgresVersion())).isEqualTo("17");
  }

  @Test
  void majorVersionsAreTheFirstComponent() {
    assertThat(EmbeddedServer.majorOf("16.6.0")).isEqualTo("16");
    assertThat(EmbeddedServer.majorOf("17.11.0")).isEqualTo("17");
    assertThat(EmbeddedServer.majorOf("9")).isEqualTo("9");
    assertThat(EmbeddedServer.majorOf("unknown")).isEmpty();
  }

  @Test
  void aDataDirectoryOfAnyOtherMajorIsRefusedWithWhatToDoAndLeftAsItWas() throws Exception {
    for (String other : List.of("13", "14", "15", "16", "18")) {
      Path work = Files.createDirectories(tmp.resolve("work-" + other));
      EmbeddedServer server = EmbeddedServer.in(work);
      Path data = server.dataDirectory();
      try {
        Files.createDirectories(data);
        Files.writeString(data.resolve("PG_VERSION"), other + "\n");
        assertThatThrownBy(server::start)
            .isInstanceOfSatisfying(
                FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TARGET_UNREACHABLE))
            .hasMessageContaining(data.toString())
            .hasMessageContaining("initialised by PostgreSQL " + other)
            .hasMessageContaining("bundles PostgreSQL " + EmbeddedServer.postgresVersion())
            .hasMessageContaining("pg_dumpall")
            .hasMessageContaining("move " + data + " aside");
        try (Stream<Path> left = Files.list(data)) {
          assertThat(left).containsExactly(data.resolve("PG_VERSION"));
        }
        try (Stream<Path> home = Files.list(data.getParent())) {
          assertThat(home.map(p -> p.getFileName().toString()))
              .noneMatch(n -> n.startsWith("dist"));
        }
      } finally {
        delete(data.getParent());
      }
    }
  }

  private static void delete(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
