import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application and the probes of bench/sync.sh, run with the project's jar on the classpath
 * (sqlite-jdbc and the PostgreSQL driver): {@code java -cp target/ferry.jar bench/SyncLoad.java MODE …}.
 *
 * <ul>
 *   <li>{@code write DB RATE STOPFILE OUTDIR JDBCURL}: the application. Writes to the example's
 *       SQLite file at RATE writes/s (WAL, synchronous=NORMAL, busy_timeout 20 s, foreign keys on), one write being one
 *       transaction of the mix below, until STOPFILE exists or SQLite refuses a write naming
 *       PostgreSQL (cutover). Every write's start and latency go to OUTDIR/writes.tsv. Each insert
 *       of a tweet is a probe: its id counts up, its commit time is kept, and a prober thread polls
 *       PostgreSQL (JDBCURL) every 20 ms for tweets with a larger id; each arrival's delay after the
 *       commit goes to OUTDIR/lag.tsv.
 *   <li>{@code cost PLAIN CAPTURED WRITES ROUNDS}: the cost of the capture triggers on a write. The
 *       same mix, unthrottled, WRITES writes per round on each file (same seed for both files in a
 *       round, so both stay identical apart from the capture; the order alternates by round); prints
 *       µs per write (mean and median of each write's own latency) per file and the ratio.
 *   <li>{@code report OUTDIR FOLLOW_FROM FOLLOW_TO CUT_FROM CUT_TO} (epoch ms): lag p50/p99/max of
 *       the probes committed in the follow window; the writes' latency during the follow window and
 *       during the cutover command (max, p99), i.e. the stall the application feels.
 * </ul>
 *
 * The mix (one write each): insert a tweet (2/8); update a tweet's url NULL↔value and its JSON
 * metadata; delete a tweet; INSERT OR REPLACE into referral_tracking by its secondary UNIQUE
 * (referred_user_id: deletes the row holding it under another key); update a user's picture URL
 * NULL↔value and last_scraped; a multi-statement transaction (a queued job, two chunks, a referral
 * code's usage count and a usage log row); INSERT OR REPLACE of a user's funnel progress by key.
 */
public class SyncLoad {
  static final long PROBE_BASE = 1_900_000_000_000_000_000L;
  static final long EXAMPLE_BASE = 1_790_000_000_000_000_000L;

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "write" -> write(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), Path.of(args[4]), args[5]);
      case "cost" -> cost(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      case "report" -> report(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]));
      default -> throw new IllegalArgumentException("mode: write, cost or report");
    }
  }

  /** The application's view of the example: how many tweets, users and referral codes it has. */
  static final class App {
    final Connection c;
    final Random r;
    final long tweets;
    final int users;
    final int codes;
    long probe;
    String lastProbe;

    App(Path db, long seed, long probeBase) throws SQLException {
      c = DriverManager.getConnection("jdbc:sqlite:" + db);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 20000");
        st.execute("PRAGMA foreign_keys = ON");
        st.execute("PRAGMA synchronous = NORMAL"); // WAL's usual setting: no fsync per commit
        tweets = one(st, "SELECT count(*) FROM tweets WHERE id < '" + PROBE_BASE + "'");
        users = (int) one(st, "SELECT count(*) FROM users");
        codes = (int) one(st, "SELECT count(*) FROM referral_codes");
      }
      r = new Random(seed);
      probe = probeBase;
    }

    static long one(Statement st, String sql) throws SQLException {
      try (ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    String user() {
      return Long.toString(44_196_397L + r.nextInt(users) * 7919L);
    }

    String tweet() {
      return Long.toString(EXAMPLE_BASE + (long) (r.nextDouble() * tweets));
    }

    /** One write of the mix; returns its kind, and sets lastProbe when it inserted a tweet. */
    String write() throws SQLException {
      lastProbe = null;
      int kind = r.nextInt(8);
      switch (kind) {
        case 0, 1 -> {
          String id = Long.toString(++probe);
          exec("INSERT INTO tweets (id, user_id, text, created_at, url, is_reply, metadata) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?)",
              id, user(), "live write " + id, r.nextBoolean() ? null : "https://x.com/i/" + id, r.nextInt(4) == 0 ? 1 : 0,
              "{\"lang\": \"en\", \"likes\": " + r.nextInt(100) + ", \"source\": \"bench\"}");
          lastProbe = id;
          return "insert";
        }
        case 2 -> {
          exec("UPDATE tweets SET url = CASE WHEN url IS NULL THEN 'https://x.com/u/' || id END, metadata = json_set(coalesce(metadata, '{}'), '$.likes', ?) WHERE id = ?",
              r.nextInt(5000), tweet());
          return "update";
        }
        case 3 -> {
          exec("DELETE FROM tweets WHERE id = ?", tweet());
          return "delete";
        }
        case 4 -> {
          int code = r.nextInt(codes);
          exec("INSERT OR REPLACE INTO referral_tracking (referral_code, referrer_user_id, referred_user_id, used_at) VALUES (?, ?, ?, datetime('now'))",
              "REF" + (1000 + code), Long.toString(44_196_397L + code * 7919L), user());
          return "replace-unique";
        }
        case 5 -> {
          exec("UPDATE users SET profile_picture_url = CASE WHEN profile_picture_url IS NULL THEN 'https://img.example.com/new.jpg' END, last_scraped = datetime('now') WHERE id = ?",
              user());
          return "update-null";
        }
        case 6 -> {
          transaction();
          return "transaction";
        }
        default -> {
          exec("INSERT OR REPLACE INTO funnel_progress (user_id, current_command_index, completed_commands, command_responses, last_updated) VALUES (?, ?, '[\"/start\"]', ?, datetime('now'))",
              user(), r.nextInt(6), r.nextBoolean() ? null : "{\"/start\": \"again\"}");
          return "replace-key";
        }
      }
    }

    private void transaction() throws SQLException {
      c.setAutoCommit(false);
      try {
        String user = user();
        exec("INSERT INTO analysis_queue (user_id, status, priority, total_chunks) VALUES (?, 'pending', ?, 2)", user, r.nextInt(10));
        long job;
        try (Statement st = c.createStatement()) {
          job = one(st, "SELECT last_insert_rowid()");
        }
        for (int k = 0; k < 2; k++) {
          exec("INSERT INTO analysis_chunks (job_id, chunk_index, tweet_count, status) VALUES (?, ?, 50, 'pending')", job, k);
        }
        int code = r.nextInt(codes);
        exec("UPDATE referral_codes SET usage_count = usage_count + 1 WHERE code = ?", "REF" + (1000 + code));
        exec("INSERT INTO referral_usage_log (referral_code, used_by_user_id, used_at) VALUES (?, ?, datetime('now'))", "REF" + (1000 + code), user);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }

    private void exec(String sql, Object... values) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < values.length; i++) {
          ps.setObject(i + 1, values[i]);
        }
        ps.executeUpdate();
      }
    }
  }

  static long epochMicros(long baseMs, long baseNano, long nano) {
    return baseMs * 1000 + (nano - baseNano) / 1000;
  }

  static void write(Path db, int rate, Path stop, Path out, String jdbc) throws Exception {
    long baseMs = System.currentTimeMillis();
    long baseNano = System.nanoTime();
    ConcurrentHashMap<String, Long> committed = new ConcurrentHashMap<>();
    App app = new App(db, 20261128L, PROBE_BASE);
    Prober prober = new Prober(jdbc, committed, out.resolve("lag.tsv"), baseMs, baseNano);
    prober.start();
    long writes = 0;
    String refused = null;
    long periodNs = 1_000_000_000L / rate;
    long next = System.nanoTime();
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("writes.tsv")))) {
      while (!Files.exists(stop)) {
        long now = System.nanoTime();
        if (next > now) {
          Thread.sleep((next - now) / 1_000_000, (int) ((next - now) % 1_000_000));
        } else if (now - next > 200_000_000L) {
          next = now; // more than 200 ms behind (a stall): the schedule restarts, no burst
        }
        next += periodNs;
        long t = System.nanoTime();
        String kind;
        try {
          kind = app.write();
        } catch (SQLException e) {
          if (String.valueOf(e.getMessage()).contains("moved to PostgreSQL")) {
            refused = e.getMessage();
            w.printf("%d\t%d\trefused%n", epochMicros(baseMs, baseNano, t) / 1000, (System.nanoTime() - t) / 1000);
            break;
          }
          throw e;
        }
        long done = System.nanoTime();
        if (app.lastProbe != null) {
          committed.put(app.lastProbe, epochMicros(baseMs, baseNano, done));
        }
        w.printf("%d\t%d\t%s%n", epochMicros(baseMs, baseNano, t) / 1000, (done - t) / 1000, kind);
        writes++;
      }
    }
    app.c.close();
    Thread.sleep(3000); // the last probes arrive (cutover drained them before it switched)
    prober.finish();
    System.out.println("WRITES " + writes + (refused == null ? " STOPPED" : " REFUSED " + refused));
  }

  /** Polls PostgreSQL for probe tweets with a larger id than the last seen; records each delay. */
  static final class Prober extends Thread {
    private final String jdbc;
    private final ConcurrentHashMap<String, Long> committed;
    private final Path file;
    private final long baseMs;
    private final long baseNano;
    private volatile boolean done;

    Prober(String jdbc, ConcurrentHashMap<String, Long> committed, Path file, long baseMs, long baseNano) {
      this.jdbc = jdbc;
      this.committed = committed;
      this.file = file;
      this.baseMs = baseMs;
      this.baseNano = baseNano;
      setDaemon(true);
    }

    @Override
    public void run() {
      String last = Long.toString(PROBE_BASE);
      try (BufferedWriter w = Files.newBufferedWriter(file)) {
        Connection c = null;
        while (!done) {
          try {
            if (c == null) {
              c = DriverManager.getConnection(jdbc);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM public.tweets WHERE id > ? AND id < ? ORDER BY id")) {
              ps.setString(1, last);
              ps.setString(2, Long.toString(PROBE_BASE + 1_000_000_000L));
              try (ResultSet rs = ps.executeQuery()) {
                long seen = epochMicros(baseMs, baseNano, System.nanoTime());
                while (rs.next()) {
                  String id = rs.getString(1);
                  last = id;
                  Long at = committed.remove(id);
                  if (at != null) {
                    w.write((at / 1000) + "\t" + Math.max(0, seen - at) / 1000 + "\n");
                  }
                }
              }
            }
          } catch (SQLException e) {
            // the table is not there yet (the initial copy), or the server restarts: next poll
            try {
              if (c != null) {
                c.close();
              }
            } catch (SQLException ignored) {
              // gone
            }
            c = null;
            Thread.sleep(500);
          }
          Thread.sleep(20);
        }
        w.flush();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    void finish() throws InterruptedException {
      done = true;
      join(10_000);
    }
  }

  static void cost(Path plain, Path captured, int count, int rounds) throws Exception {
    long[][] mean = new long[2][rounds];
    long[][] median = new long[2][rounds];
    Path[] files = {plain, captured};
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < 2; i++) {
        int f = round % 2 == 0 ? i : 1 - i;
        App app = new App(files[f], 1000 + round, PROBE_BASE + 1_000_000_000L * (round + 1));
        long[] lat = new long[count];
        for (int k = 0; k < count; k++) {
          long t = System.nanoTime();
          app.write();
          lat[k] = (System.nanoTime() - t) / 1000;
        }
        app.c.close();
        mean[f][round] = Arrays.stream(lat).sum() / count;
        Arrays.sort(lat);
        median[f][round] = lat[count / 2];
        System.out.printf("  round %d %-9s %6d µs/write mean, %6d median%n", round + 1, f == 0 ? "plain" : "captured", mean[f][round], median[f][round]);
      }
    }
    long pm = med(mean[0]);
    long cm = med(mean[1]);
    long pd = med(median[0]);
    long cd = med(median[1]);
    System.out.printf("COST plain %d µs/write (median write %d µs), with capture %d µs/write (median write %d µs): +%d µs, ratio %.2f (medians of %d rounds of %d writes)%n",
        pm, pd, cm, cd, cm - pm, cm / (double) pm, rounds, count);
  }

  static long med(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static void report(Path out, long followFrom, long followTo, long cutFrom, long cutTo) throws IOException {
    List<Long> lag = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("lag.tsv"))) {
      String[] f = line.split("\t");
      long at = Long.parseLong(f[0]);
      if (at >= followFrom && at <= followTo) {
        lag.add(Long.parseLong(f[1]));
      }
    }
    List<Long> follow = new ArrayList<>();
    List<Long> cut = new ArrayList<>();
    long inWindow = 0;
    long probes = 0;
    for (String line : Files.readAllLines(out.resolve("writes.tsv"))) {
      String[] f = line.split("\t");
      long start = Long.parseLong(f[0]);
      long micros = Long.parseLong(f[1]);
      if (start >= followFrom && start <= followTo) {
        follow.add(micros);
        inWindow++;
        if (f[2].equals("insert")) {
          probes++;
        }
      }
      if (start <= cutTo && start + micros / 1000 >= cutFrom) {
        cut.add(micros);
      }
    }
    double seconds = (followTo - followFrom) / 1000.0;
    System.out.printf("FOLLOW %.0f s, %d writes (%.0f writes/s), %d probe inserts, %d arrivals measured%n", seconds, inWindow, inWindow / seconds, probes, lag.size());
    System.out.printf("LAG_MS p50 %d p99 %d max %d%n", pct(lag, 50), pct(lag, 99), pct(lag, 100));
    System.out.printf("WRITE_MS_FOLLOWING p50 %.1f p99 %.1f max %.1f%n", pct(follow, 50) / 1000.0, pct(follow, 99) / 1000.0, pct(follow, 100) / 1000.0);
    System.out.printf("WRITE_MS_CUTOVER writes %d p99 %.1f max %.1f%n", cut.size(), pct(cut, 99) / 1000.0, pct(cut, 100) / 1000.0);
  }

  /** The p-th percentile (nearest rank), -1 when there is no sample. */
  static long pct(List<Long> v, int p) {
    if (v.isEmpty()) {
      return -1;
    }
    List<Long> s = new ArrayList<>(v);
    s.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * s.size());
    return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
  }
}
