package dev.ferry.source.files;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The staging database's one writer: a thread that owns the connection and runs SQL tasks in the
 * order they were submitted, so parsing JSON (the caller's thread) and writing SQLite overlap on
 * two cores. The queue is short, so memory stays bounded; the first failure stops the writer and is
 * thrown to the caller at its next submit or sync.
 */
final class SqlWriter implements AutoCloseable {
  interface Task {
    void run(Connection c) throws Exception;
  }

  private static final Task STOP = c -> {};
  private final Connection connection;
  private final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(16);
  private final Thread thread;
  private volatile Throwable failure;

  SqlWriter(Connection connection) {
    this.connection = connection;
    this.thread = new Thread(this::loop, "ferry-staging-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop() {
    while (true) {
      Task t;
      try {
        t = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (t == STOP) {
        return;
      }
      if (failure == null) {
        try {
          t.run(connection);
        } catch (Throwable e) {
          failure = e;
        }
      }
    }
  }

  /** Queues {@code t} (waits while the queue is full). */
  void submit(Task t) throws SQLException {
    check();
    try {
      queue.put(t);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while staging", e);
    }
  }

  /** Waits until everything submitted so far has run; throws the first failure. */
  void sync() throws SQLException {
    CountDownLatch done = new CountDownLatch(1);
    submit(c -> done.countDown());
    while (done.getCount() > 0 && failure == null) {
      try {
        done.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while staging", e);
      }
    }
    check();
  }

  /** Runs {@code t} after everything submitted so far, and waits for it. */
  void call(Task t) throws SQLException {
    submit(t);
    sync();
  }

  private void check() throws SQLException {
    Throwable f = failure;
    if (f == null) {
      return;
    }
    if (f instanceof FerryException fe) {
      throw fe;
    }
    if (f instanceof SQLException se) {
      throw se;
    }
    if (f instanceof Error e) {
      throw e;
    }
    throw new FerryException(ErrorCode.INTERNAL, "staging failed: " + f, f);
  }

  @Override
  public void close() {
    try {
      queue.clear();
      queue.put(STOP);
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
