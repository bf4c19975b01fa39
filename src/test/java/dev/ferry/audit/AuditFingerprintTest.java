package dev.ferry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.load.PostgresTarget;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.run.MetadataSchema;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.Test;

/**
 * How ferry.audit names who wrote: an HMAC of the token under a secret of the database, so the
 * audit alone does not let anyone test guesses of the token offline (no plain hash of any token
 * appears), while one token is named the same way by every writer of that database, even writers
 * that start at once, and differently in another database.
 */
class AuditFingerprintTest {
  private static String fingerprint(TargetUrl url, String token) throws Exception {
    try (Connection c = TestPostgres.connect(url)) {
      return AuditLog.fingerprint(c, token);
    }
  }

  private static TargetUrl prepared() {
    TargetUrl url = TestPostgres.newDatabase();
    try (PostgresTarget target = PostgresTarget.connect(url, 1)) {
      MetadataSchema.ensureCurrent(target.dataSource());
    }
    return url;
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aTokenIsNamedByAKeyedHashOfThisDatabaseNeverByItsPlainHash() throws Exception {
    TargetUrl one = prepared();
    TargetUrl other = prepared();
    List<String> tokens =
        new ArrayList<>(
            Arbitraries.strings().ofMinLength(1).ofMaxLength(40).sampleStream().limit(30).toList());
    tokens.add("write-test-token-0123456789");
    for (String token : tokens) {
      String f = fingerprint(one, token);
      assertThat(f).as(token).matches("hmac:[0-9a-f]{16}");
      assertThat(sha256(token)).as(token).doesNotContain(f.substring(5));
      assertThat(fingerprint(one, token)).as("stable: " + token).isEqualTo(f);
      assertThat(fingerprint(other, token)).as("another database: " + token).isNotEqualTo(f);
    }
    Set<String> distinct = new java.util.HashSet<>();
    for (String token : Set.copyOf(tokens)) {
      distinct.add(fingerprint(one, token));
    }
    assertThat(distinct).hasSize(Set.copyOf(tokens).size());
    assertThat(TestPostgres.count(one, "SELECT count(*) FROM ferry.audit_key")).isOne();
    assertThat(TestPostgres.count(one, "SELECT length(secret) FROM ferry.audit_key")).isEqualTo(32);
  }

  @Test
  void writersThatStartAtOnceAgreeOnTheSecret() throws Exception {
    TargetUrl url = prepared();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<String>> starts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        starts.add(() -> fingerprint(url, "the same token"));
      }
      Set<String> seen =
          pool.invokeAll(starts).stream()
              .map(
                  f -> {
                    try {
                      return f.get();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .collect(Collectors.toSet());
      assertThat(seen).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM ferry.audit_key")).isOne();
  }
}
