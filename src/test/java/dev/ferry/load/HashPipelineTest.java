package dev.ferry.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.plan.PgType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hashing thread never holds the loader up: whatever it throws, every batch comes back, the
 * loader sees the failure as a result, and finishing returns.
 */
class HashPipelineTest {
  private static final byte[] PLAIN = document("{\"k\": \"" + "x".repeat(200_000) + "\"}");
  private static final byte[] REFUSED = document("{\"k\": \"" + "x".repeat(200_000) + "\",}");
  private static final byte[] REPEATED =
      document("{\"k\": \"" + "x".repeat(200_000) + "\", \"k\": 1}");

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFailureAtAnyRowNeverBlocksTheLoaderAndIsSeenAsAResult() {
    // many more batches (about 1 MiB each) than the pipeline keeps: a lost batch would block add()
    for (int failAt : new int[] {0, 1, 7, 23, 59}) {
      try (HashPipeline hashes = new HashPipeline(jsonbHasher(false))) {
        for (int row = 0; row < 60; row++) {
          hashes.add(row(row == failAt ? REFUSED : PLAIN));
        }
        hashes.finish();
        assertThat(hashes.troubled()).isTrue();
        assertThat(hashes.failure())
            .as("failure at row %d", failAt)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not JSON jsonb can hold");
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aRepeatedKeyInACheckedColumnIsReportedAndAPlainLoadIsNot() {
    for (boolean checked : new boolean[] {true, false}) {
      try (HashPipeline hashes = new HashPipeline(jsonbHasher(checked))) {
        for (int row = 0; row < 20; row++) {
          hashes.add(row(row == 13 ? REPEATED : PLAIN));
        }
        assertThat(hashes.finish().rows()).isEqualTo(20);
        assertThat(hashes.failure()).isNull();
        assertThat(hashes.jsonHeld()).as("checked: %s", checked).isEqualTo(!checked);
      }
    }
    try (HashPipeline hashes = new HashPipeline(jsonbHasher(true))) {
      for (int row = 0; row < 20; row++) {
        hashes.add(row(PLAIN));
      }
      hashes.finish();
      assertThat(hashes.troubled()).isFalse();
    }
  }

  private static RowHasher jsonbHasher(boolean checked) {
    return new RowHasher(new PgType.Kind[] {PgType.Kind.JSONB})
        .checkingJson(new boolean[] {checked});
  }

  private static byte[] document(String json) {
    byte[] text = json.getBytes(StandardCharsets.UTF_8);
    byte[] field = new byte[text.length + 1];
    field[0] = 1; // jsonb's binary format version
    System.arraycopy(text, 0, field, 1, text.length);
    return field;
  }

  private static FieldBuffer row(byte[] jsonbField) {
    FieldBuffer row = new FieldBuffer();
    row.field(jsonbField);
    return row;
  }
}
