package dev.ferry.load;

import dev.ferry.value.TableChecksum;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes rows on a thread of its own while the loading thread keeps reading and sending: rows are
 * handed over in batches of about 1 MiB, at most {@link #BATCHES} of them alive, so memory stays
 * bounded and a slow hasher slows the load rather than growing a queue.
 *
 * <p>Never blocks the loader on a failure: a batch always goes back to the free list, even when
 * hashing it threw; the first failure is kept ({@link #failure}) and later batches are not hashed.
 * The loader polls {@link #troubled} and reads the failure after {@link #finish}.
 */
final class HashPipeline implements AutoCloseable {
  private static final int BATCH_BYTES = 1 << 20;
  private static final int BATCHES = 3;

  private final RowHasher hasher;
  private final TableChecksum.Accumulator sums = new TableChecksum.Accumulator();
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-hash");
            t.setDaemon(true);
            return t;
          });
  private Batch current;
  private Future<?> last;
  private volatile Throwable failure;
  private volatile boolean jsonHeld = true;

  private static final class Batch {
    byte[] bytes = new byte[BATCH_BYTES];
    int[] ends = new int[4096];
    int rows;
    int size;
  }

  HashPipeline(RowHasher hasher) {
    this.hasher = hasher;
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch());
    }
    current = take();
  }

  /** Adds one encoded row. */
  void add(FieldBuffer row) {
    int n = row.size();
    if (current.size + n > current.bytes.length && current.rows > 0) {
      submit();
    }
    Batch b = current;
    if (b.size + n > b.bytes.length) {
      b.bytes = Arrays.copyOf(b.bytes, b.size + n);
    }
    System.arraycopy(row.bytes(), 0, b.bytes, b.size, n);
    b.size += n;
    if (b.rows == b.ends.length) {
      b.ends = Arrays.copyOf(b.ends, b.rows * 2);
    }
    b.ends[b.rows++] = b.size;
  }

  private void submit() {
    Batch b = current;
    last =
        worker.submit(
            () -> {
              try {
                if (failure == null) {
                  hashAll(b);
                }
              } catch (RuntimeException | Error e) {
                failure = e;
              } finally {
                b.rows = 0;
                b.size = 0;
                free.add(b);
              }
            });
    current = take();
  }

  private void hashAll(Batch b) {
    int start = 0;
    for (int i = 0; i < b.rows; i++) {
      sums.add(hasher.hash(b.bytes, start, b.ends[i] - start));
      start = b.ends[i];
    }
    jsonHeld = hasher.jsonHeld();
  }

  /**
   * True once hashing failed or a checked jsonb document was not plain JSON ({@link
   * RowHasher#jsonHeld}): a one-pass load can stop at once. A cheap read, for every row.
   */
  boolean troubled() {
    return failure != null || !jsonHeld;
  }

  /** The first exception a batch's hashing threw, or null; complete after {@link #finish}. */
  Throwable failure() {
    return failure;
  }

  /** See {@link RowHasher#jsonHeld}; complete after {@link #finish}. */
  boolean jsonHeld() {
    return jsonHeld;
  }

  private Batch take() {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hashing", e);
    }
  }

  /**
   * Hashes what is left and returns the table's checksum: the checksum of every row only when
   * {@link #failure} is null.
   */
  TableChecksum finish() {
    if (current.rows > 0) {
      submit();
    }
    try {
      if (last != null) {
        last.get();
      }
      worker.submit(() -> {}).get(); // every batch before this one has run
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hashing", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("hashing failed: " + e.getCause(), e.getCause());
    }
    return sums.result();
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
