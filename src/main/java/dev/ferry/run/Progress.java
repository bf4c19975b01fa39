package dev.ferry.run;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Load progress: a bar per running table on a terminal, plain periodic lines otherwise (CI logs,
 * pipes), nothing when quiet.
 */
abstract class Progress implements AutoCloseable {

  abstract void start(String table, long rows);

  abstract void update(String table, long rows);

  abstract void done(String table);

  @Override
  public abstract void close();

  /** The one daemon thread that draws progress. */
  static ScheduledExecutorService timer() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "ferry-progress");
          t.setDaemon(true);
          return t;
        });
  }

  @SuppressWarnings("SystemConsoleNull") // release 17: console() is null when not a terminal
  static Progress forConsole(PrintStream out, boolean quiet) {
    if (quiet) {
      return new Silent();
    }
    return System.console() != null ? new Bars(out) : new Lines(out, 5);
  }

  static final class Silent extends Progress {
    @Override
    void start(String table, long rows) {}

    @Override
    void update(String table, long rows) {}

    @Override
    void done(String table) {}

    @Override
    public void close() {}
  }

  /**
   * One bar per running table, redrawn in place every 200 ms (ANSI: cursor up, clear line); a table
   * that finishes leaves one permanent line above the block. Drawn by one thread only, so tables
   * starting and finishing in any order on any thread cannot garble the screen.
   */
  static final class Bars extends Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final Map<String, long[]> running = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.Queue<String> finished =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer = timer();
    private final java.util.concurrent.ScheduledFuture<?> ticks;
    private int drawn;

    Bars(PrintStream out) {
      this.out = out;
      this.ticks = timer.scheduleAtFixedRate(this::draw, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    void start(String table, long rows) {
      running.put(table, new long[] {rows, 0, System.nanoTime()});
    }

    @Override
    void update(String table, long rows) {
      long[] v = running.get(table);
      if (v != null) {
        v[1] = rows;
      }
    }

    @Override
    void done(String table) {
      long[] v = running.remove(table);
      if (v != null) {
        v[1] = v[0];
        finished.add(line(table, v));
      }
    }

    private synchronized void draw() {
      StringBuilder s = new StringBuilder();
      if (drawn > 0) {
        s.append("\033[").append(drawn).append('A');
      }
      for (String line; (line = finished.poll()) != null; ) {
        s.append("\033[2K").append(line).append('\n');
      }
      int lines = 0;
      for (var e : running.entrySet()) {
        s.append("\033[2K").append(line(e.getKey(), e.getValue())).append('\n');
        lines++;
      }
      for (int i = lines; i < drawn; i++) {
        s.append("\033[2K\n");
      }
      int blank = Math.max(0, drawn - lines);
      if (blank > 0) {
        s.append("\033[").append(blank).append('A');
      }
      drawn = lines;
      out.print(s);
      out.flush();
    }

    private static String line(String table, long[] v) {
      long total = Math.max(1, v[0]);
      int filled = (int) Math.min(WIDTH, v[1] * WIDTH / total);
      double seconds = (System.nanoTime() - v[2]) / 1e9;
      return String.format(
          java.util.Locale.ROOT,
          "%-24s %3d%% [%s%s] %,d/%,d rows  %,.0f rows/s",
          table.length() > 24 ? table.substring(0, 23) + "…" : table,
          v[1] * 100 / total,
          "=".repeat(filled),
          " ".repeat(WIDTH - filled),
          v[1],
          v[0],
          seconds > 0 ? v[1] / seconds : 0);
    }

    @Override
    public void close() {
      ticks.cancel(false);
      timer.shutdownNow();
      draw();
    }
  }

  /** A line per running table every few seconds: "tweets: 450,000 / 1,000,000 rows (45%)". */
  static final class Lines extends Progress {
    private final PrintStream out;
    private final Map<String, long[]> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = timer();

    private java.util.concurrent.ScheduledFuture<?> ticks;

    Lines(PrintStream out, int seconds) {
      this.out = out;
      ticks = timer.scheduleAtFixedRate(this::print, seconds, seconds, TimeUnit.SECONDS);
    }

    private void print() {
      tables.forEach(
          (table, v) ->
              out.printf(
                  "  %s: %,d / %,d rows (%d%%)%n",
                  table, v[1], v[0], v[0] == 0 ? 100 : v[1] * 100 / v[0]));
    }

    @Override
    void start(String table, long rows) {
      tables.put(table, new long[] {rows, 0});
    }

    @Override
    void update(String table, long rows) {
      long[] v = tables.get(table);
      if (v != null) {
        v[1] = rows;
      }
    }

    @Override
    void done(String table) {
      tables.remove(table);
    }

    @Override
    public void close() {
      ticks.cancel(false);
      timer.shutdownNow();
    }
  }
}
