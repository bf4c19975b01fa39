package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries work that failed because the connection to the server was lost (the server restarted, the
 * network dropped), with exponential backoff, before giving up. Only work that is safe to repeat is
 * retried: a table load is one transaction, so a load whose connection dropped left nothing behind.
 */
public final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  static final long[] BACKOFF_MS = {500, 1_000, 2_000, 4_000, 8_000, 16_000};

  /** Work that may be repeated. */
  public interface Work<T> {
    T run() throws SQLException;
  }

  private Retry() {}

  /**
   * Runs {@code work}, again after each lost connection (with backoff), until it succeeds, fails
   * otherwise, or the retries are spent (then TARGET_UNREACHABLE).
   */
  public static <T> T withBackoff(String what, Work<T> work) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException | RuntimeException e) {
        if (!SqlStates.connectionLost(e) || attempt >= BACKOFF_MS.length) {
          if (SqlStates.connectionLost(e)) {
            throw new FerryException(
                ErrorCode.TARGET_UNREACHABLE,
                what
                    + ": the connection was lost and did not come back after "
                    + BACKOFF_MS.length
                    + " retries over "
                    + total() / 1000
                    + " s",
                e);
          }
          throw e;
        }
        LOG.warn(
            "{}: connection lost ({}); retrying in {} ms",
            what,
            e.getMessage(),
            BACKOFF_MS[attempt]);
        try {
          Thread.sleep(BACKOFF_MS[attempt]);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new FerryException(
              ErrorCode.INTERNAL, "interrupted while waiting to retry " + what, ie);
        }
      }
    }
  }

  private static long total() {
    long t = 0;
    for (long b : BACKOFF_MS) {
      t += b;
    }
    return t;
  }
}
