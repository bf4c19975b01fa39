package dev.ferry.examples;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a SQLite database shaped like seed 001's (a Node app's tweet-analysis store: users, tweets
 * with JSON metadata, personality analysis, funnel and referral tables, an analysis queue with its
 * CHECK and chunks), stored the way such an app stores it: JSON as TEXT, booleans as 0/1,
 * timestamps as text. Deterministic for a given seed; any size.
 */
public final class TwitterExample {
  static final String SCHEMA =
      """
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT UNIQUE NOT NULL,
        profile_data TEXT,
        profile_picture_url TEXT,
        last_scraped DATETIME,
        created_at DATETIME DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE tweets (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        text TEXT NOT NULL,
        created_at DATETIME NOT NULL,
        url TEXT,
        is_reply BOOLEAN DEFAULT 0,
        metadata TEXT,
        created_in_db DATETIME DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE personality_analysis (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        traits TEXT NOT NULL,
        interests TEXT NOT NULL,
        communication_style TEXT NOT NULL,
        analyzed_at DATETIME DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE funnel_progress (
        user_id TEXT PRIMARY KEY REFERENCES users(id),
        current_command_index INTEGER DEFAULT 0,
        completed_commands TEXT DEFAULT '[]',
        command_responses TEXT DEFAULT '{}',
        last_updated DATETIME DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE funnel_completion (
        user_id TEXT PRIMARY KEY REFERENCES users(id),
        completed_at DATETIME DEFAULT CURRENT_TIMESTAMP,
        completion_data TEXT DEFAULT '{}'
      );
      CREATE TABLE referral_codes (
        code TEXT PRIMARY KEY,
        owner_user_id TEXT NOT NULL REFERENCES users(id),
        usage_count INTEGER DEFAULT 0,
        created_at DATETIME DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE referral_tracking (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        referral_code TEXT NOT NULL,
        referrer_user_id TEXT NOT NULL REFERENCES users(id),
        referred_user_id TEXT NOT NULL REFERENCES users(id),
        used_at DATETIME DEFAULT CURRENT_TIMESTAMP,
        UNIQUE(referred_user_id)
      );
      CREATE TABLE referral_usage_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        referral_code TEXT NOT NULL REFERENCES referral_codes(code),
        used_by_user_id TEXT NOT NULL REFERENCES users(id),
        used_at DATETIME DEFAULT CURRENT_TIMESTAMP
      );
      CREATE TABLE analysis_queue (
        job_id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES users(id),
        status TEXT NOT NULL DEFAULT 'pending',
        priority INTEGER DEFAULT 0,
        total_chunks INTEGER NOT NULL,
        processed_chunks INTEGER DEFAULT 0,
        created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
        started_at DATETIME,
        completed_at DATETIME,
        error TEXT,
        CONSTRAINT valid_status CHECK (status IN ('pending', 'processing', 'completed', 'failed'))
      );
      CREATE TABLE analysis_chunks (
        chunk_id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id INTEGER REFERENCES analysis_queue(job_id),
        chunk_index INTEGER NOT NULL,
        tweet_count INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        started_at DATETIME,
        completed_at DATETIME,
        result TEXT,
        error TEXT,
        CONSTRAINT valid_chunk_status CHECK (status IN ('pending', 'processing', 'completed', 'failed'))
      );
      CREATE INDEX idx_tweets_user_created ON tweets(user_id, created_at);
      CREATE INDEX idx_tweets_created ON tweets(created_at);
      CREATE INDEX idx_referral_tracking_code ON referral_tracking(referral_code);
      CREATE INDEX idx_referral_tracking_referrer ON referral_tracking(referrer_user_id);
      CREATE INDEX idx_referral_codes_owner ON referral_codes(owner_user_id);
      CREATE INDEX idx_referral_usage_code ON referral_usage_log(referral_code);
      CREATE INDEX idx_analysis_queue_status ON analysis_queue(status);
      CREATE INDEX idx_analysis_queue_user ON analysis_queue(user_id);
      CREATE INDEX idx_analysis_chunks_job_status ON analysis_chunks(job_id, status);
      CREATE INDEX idx_analysis_queue_priority ON analysis_queue(priority DESC, created_at ASC);
      """;

  private static final String[] WORDS =
      ("the a data postgres sqlite migration ship fast lossless query index json tweet thread reply "
              + "ai model launch build weekend coffee morning team product users growth metrics design api "
              + "open source rust java python deploy bug fix review learn today great new why how what love")
          .split(" ");
  private static final String[] LANGS = {"en", "en", "en", "en", "es", "fr", "de", "ja", "pt"};
  private static final String[] STATUSES = {
    "pending", "processing", "completed", "completed", "failed"
  };
  private static final DateTimeFormatter SQLITE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TWITTER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final long START = Instant.parse("2023-01-01T00:00:00Z").getEpochSecond();

  private final SplittableRandom random;

  private TwitterExample(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Writes the example with {@code tweets} tweets to {@code file}, which must not exist. */
  public static void write(Path file, int tweets, long seed) {
    if (Files.exists(file)) {
      throw new FerryException(
          ErrorCode.USAGE, file + " already exists; remove it or choose another name");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      new TwitterExample(seed).fill(c, tweets);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private void fill(Connection c, int tweets) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = OFF");
      st.execute("PRAGMA synchronous = OFF");
      for (String ddl : SCHEMA.split(";", -1)) {
        if (!ddl.isBlank()) {
          st.execute(ddl);
        }
      }
    }
    c.setAutoCommit(false);
    int users = Math.max(10, tweets / 100);
    users(c, users);
    tweets(c, tweets, users);
    personality(c, users);
    funnels(c, users);
    referrals(c, users);
    queue(c, users);
    c.commit();
  }

  private void users(Connection c, int n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < n; i++) {
        ps.setString(1, userId(i));
        ps.setString(2, "user_" + i);
        ps.setString(
            3,
            "{\"name\": \"User "
                + i
                + "\", \"followers\": "
                + random.nextInt(100_000)
                + ", \"verified\": "
                + (random.nextInt(10) == 0)
                + ", \"bio\": \""
                + sentence(6)
                + "\"}");
        ps.setString(4, i % 7 == 0 ? null : "https://img.example.com/u/" + i + ".jpg");
        ps.setString(5, random.nextInt(5) == 0 ? null : sqliteTime(random.nextLong(86_400L * 600)));
        ps.setString(6, sqliteTime(random.nextLong(86_400L * 300)));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void tweets(Connection c, int n, int users) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO tweets VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < n; i++) {
        String id = Long.toString(1_790_000_000_000_000_000L + i);
        int user = random.nextInt(users);
        ps.setString(1, id);
        ps.setString(2, userId(user));
        ps.setString(3, sentence(8 + random.nextInt(30)));
        ps.setString(
            4, TWITTER_TIME.format(Instant.ofEpochSecond(START + random.nextLong(86_400L * 600))));
        ps.setString(5, "https://x.com/user_" + user + "/status/" + id);
        ps.setInt(6, random.nextInt(4) == 0 ? 1 : 0);
        ps.setString(
            7,
            "{\"lang\": \""
                + LANGS[random.nextInt(LANGS.length)]
                + "\", \"likes\": "
                + random.nextInt(5000)
                + ", \"retweets\": "
                + random.nextInt(800)
                + ", \"hashtags\": [\""
                + WORDS[random.nextInt(WORDS.length)]
                + "\"], \"source\": \"Twitter Web App\", \"id_str\": \""
                + id
                + "\"}");
        ps.setString(8, sqliteTime(86_400L * 600 + random.nextLong(86_400L * 30)));
        ps.addBatch();
        if (i % 10_000 == 9_999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private void personality(Connection c, int users) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO personality_analysis VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < users; i += 2) {
        ps.setString(1, "pa_" + i);
        ps.setString(2, userId(i));
        ps.setString(
            3,
            "{\"openness\": "
                + random.nextInt(100) / 100.0
                + ", \"conscientiousness\": "
                + random.nextInt(100) / 100.0
                + "}");
        ps.setString(
            4,
            "[\""
                + WORDS[random.nextInt(WORDS.length)]
                + "\", \""
                + WORDS[random.nextInt(WORDS.length)]
                + "\"]");
        ps.setString(5, "{\"tone\": \"casual\", \"emoji\": " + random.nextBoolean() + "}");
        ps.setString(6, sqliteTime(random.nextLong(86_400L * 600)));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void funnels(Connection c, int users) throws SQLException {
    try (PreparedStatement p =
            c.prepareStatement("INSERT INTO funnel_progress VALUES (?, ?, ?, ?, ?)");
        PreparedStatement d =
            c.prepareStatement("INSERT INTO funnel_completion VALUES (?, ?, ?)")) {
      for (int i = 0; i < users; i += 3) {
        p.setString(1, userId(i));
        p.setInt(2, random.nextInt(6));
        p.setString(3, "[\"/start\", \"/analyze\"]");
        p.setString(4, "{\"/start\": \"ok\"}");
        p.setString(5, sqliteTime(random.nextLong(86_400L * 600)));
        p.addBatch();
        if (i % 2 == 0) {
          d.setString(1, userId(i));
          d.setString(2, sqliteTime(random.nextLong(86_400L * 600)));
          d.setString(3, "{\"steps\": 5}");
          d.addBatch();
        }
      }
      p.executeBatch();
      d.executeBatch();
    }
  }

  private void referrals(Connection c, int users) throws SQLException {
    int codes = Math.max(1, users / 10);
    try (PreparedStatement code =
            c.prepareStatement("INSERT INTO referral_codes VALUES (?, ?, ?, ?)");
        PreparedStatement track =
            c.prepareStatement(
                "INSERT INTO referral_tracking (referral_code, referrer_user_id, referred_user_id, used_at) VALUES (?, ?, ?, ?)");
        PreparedStatement log =
            c.prepareStatement(
                "INSERT INTO referral_usage_log (referral_code, used_by_user_id, used_at) VALUES (?, ?, ?)")) {
      for (int i = 0; i < codes; i++) {
        code.setString(1, "REF" + (1000 + i));
        code.setString(2, userId(i));
        code.setInt(3, 1);
        code.setString(4, sqliteTime(random.nextLong(86_400L * 300)));
        code.addBatch();
        track.setString(1, "REF" + (1000 + i));
        track.setString(2, userId(i));
        track.setString(3, userId(codes + i));
        track.setString(4, sqliteTime(random.nextLong(86_400L * 600)));
        track.addBatch();
        log.setString(1, "REF" + (1000 + i));
        log.setString(2, userId(codes + i));
        log.setString(3, sqliteTime(random.nextLong(86_400L * 600)));
        log.addBatch();
      }
      code.executeBatch();
      track.executeBatch();
      log.executeBatch();
    }
  }

  private void queue(Connection c, int users) throws SQLException {
    try (PreparedStatement job =
            c.prepareStatement(
                "INSERT INTO analysis_queue (user_id, status, priority, total_chunks, processed_chunks, created_at,"
                    + " started_at, completed_at, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement chunk =
            c.prepareStatement(
                "INSERT INTO analysis_chunks (job_id, chunk_index, tweet_count, status, started_at, completed_at, result, error)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      int jobs = Math.max(1, users / 2);
      for (int j = 1; j <= jobs; j++) {
        String status = STATUSES[random.nextInt(STATUSES.length)];
        long created = random.nextLong(86_400L * 600);
        job.setString(1, userId(random.nextInt(users)));
        job.setString(2, status);
        job.setInt(3, random.nextInt(10));
        job.setInt(4, 4);
        job.setInt(5, status.equals("completed") ? 4 : random.nextInt(4));
        job.setString(6, sqliteTime(created));
        job.setString(7, status.equals("pending") ? null : sqliteTime(created + 60));
        job.setString(8, status.equals("completed") ? sqliteTime(created + 600) : null);
        job.setString(9, status.equals("failed") ? "rate limited by upstream API" : null);
        job.addBatch();
        for (int k = 0; k < 4; k++) {
          chunk.setInt(1, j);
          chunk.setInt(2, k);
          chunk.setInt(3, 50);
          chunk.setString(4, status);
          chunk.setString(5, status.equals("pending") ? null : sqliteTime(created + 60 + k));
          chunk.setString(6, status.equals("completed") ? sqliteTime(created + 300 + k) : null);
          chunk.setString(
              7,
              status.equals("completed")
                  ? "{\"topics\": [\""
                      + WORDS[random.nextInt(WORDS.length)]
                      + "\"], \"score\": "
                      + random.nextInt(100)
                      + "}"
                  : null);
          chunk.setString(8, status.equals("failed") ? "timeout" : null);
          chunk.addBatch();
        }
      }
      job.executeBatch();
      chunk.executeBatch();
    }
  }

  private static String userId(int i) {
    return Long.toString(44_196_397L + i * 7919L);
  }

  private String sentence(int words) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return s.toString();
  }

  private static String sqliteTime(long secondsAfterStart) {
    return SQLITE_TIME.format(Instant.ofEpochSecond(START + secondsAfterStart));
  }
}
