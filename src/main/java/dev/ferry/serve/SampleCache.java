package dev.ferry.serve;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers read from a sample, shared between requests: concurrent requests for the same key wait
 * for one read (no thundering herd), later ones reuse it until it is {@link #maxAgeMillis} old or a
 * write through the API ({@link #invalidateAll}) makes it stale. At most {@link #maxEntries} are
 * kept (the oldest goes first), so memory stays bounded whatever the requests.
 *
 * @param <K> what identifies an answer (table, expression, filters and their values)
 * @param <V> the answer
 */
final class SampleCache<K, V> {
  /** Reads the answer for a key (one SQL read, under the statement timeout). */
  interface Loader<V> {
    V load() throws SQLException;
  }

  private record Entry<V>(CompletableFuture<V> value, long born, long generation) {}

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private final long maxAgeMillis;
  private final int maxEntries;

  SampleCache(long maxAgeMillis, int maxEntries) {
    this.maxAgeMillis = maxAgeMillis;
    this.maxEntries = maxEntries;
  }

  /** The answer for {@code key}: cached and fresh, being read by another request, or read now. */
  V get(K key, Loader<V> loader) throws SQLException {
    long now = System.currentTimeMillis();
    long gen = generation.get();
    Entry<V> mine = new Entry<>(new CompletableFuture<>(), now, gen);
    boolean[] loading = {false};
    Entry<V> e =
        entries.compute(
            key,
            (k, old) -> {
              loading[0] = old == null || !fresh(old, now, gen);
              return loading[0] ? mine : old;
            });
    if (loading[0]) {
      evictBeyondBound();
      try {
        reads.incrementAndGet();
        V v = loader.load();
        mine.value().complete(v);
        return v;
      } catch (SQLException | RuntimeException | Error ex) {
        // a failure is not remembered: the next request tries again; and the requests waiting for
        // this read get the failure instead of waiting forever (even for an Error)
        entries.remove(key, mine);
        mine.value().completeExceptionally(ex);
        throw ex;
      }
    }
    return await(e.value());
  }

  /** Forgets every answer: the data may have changed. */
  void invalidateAll() {
    generation.incrementAndGet();
    entries.clear();
  }

  /** How many reads the loaders made (for tests: concurrent requests share one). */
  long reads() {
    return reads.get();
  }

  private boolean fresh(Entry<V> e, long now, long gen) {
    return e.generation() == gen && now - e.born() <= maxAgeMillis;
  }

  private void evictBeyondBound() {
    while (entries.size() > maxEntries) {
      entries.entrySet().stream()
          .min(Comparator.comparingLong(x -> x.getValue().born()))
          .ifPresent(oldest -> entries.remove(oldest.getKey(), oldest.getValue()));
    }
  }

  private static <V> V await(CompletableFuture<V> f) throws SQLException {
    try {
      return f.get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a shared sample", ex);
    } catch (CancellationException ex) {
      throw new IllegalStateException("a shared sample read was cancelled", ex);
    } catch (ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof SQLException s) {
        throw s;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }
}
