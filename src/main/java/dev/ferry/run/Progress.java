package dev.ferry.run;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

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

  @SuppressWarnings("SystemConsoleNull") // release 17: console() is null when not a terminal
  static Progress forConsole(PrintStream out, boolean quiet) {
    if (quiet) {
      return new Silent();
    }
    return System.console() != null ? new Bars() : new Lines(out, 5);
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

  /** One progress bar per table while it loads. */
  static final class Bars extends Progress {
    private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();

    @Override
    void start(String table, long rows) {
      bars.put(
          table,
          new ProgressBarBuilder()
              .setTaskName(table)
              .setInitialMax(Math.max(rows, 1))
              .setStyle(ProgressBarStyle.ASCII)
              .setUnit(" rows", 1)
              .showSpeed()
              .setUpdateIntervalMillis(250)
              .continuousUpdate()
              .build());
    }

    @Override
    void update(String table, long rows) {
      ProgressBar b = bars.get(table);
      if (b != null) {
        b.stepTo(rows);
      }
    }

    @Override
    void done(String table) {
      ProgressBar b = bars.remove(table);
      if (b != null) {
        b.stepTo(b.getMax());
        b.close();
      }
    }

    @Override
    public void close() {
      bars.values().forEach(ProgressBar::close);
    }
  }

  /** A line per running table every few seconds: "tweets: 450,000 / 1,000,000 rows (45%)". */
  static final class Lines extends Progress {
    private final PrintStream out;
    private final Map<String, long[]> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-progress");
              t.setDaemon(true);
              return t;
            });

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
