package dev.ferry.examples;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * Writes directories shaped like the file stores of seed 000 (a tweet knowledge base: tweet_cache
 * keyed by tweet id with nested content, a processing queue, categories, stats) and seed 003 (a
 * bot: drafts/ of one JSON per draft, logs/last_tweet_id.txt, logs/api_usage.json). Streams, so a
 * multi-gigabyte tweet_cache.json takes no memory.
 */
public final class FileStoresExample {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String[] WORDS = {
    "postgres", "sqlite", "migration", "index", "query", "json", "tweet", "agent", "cache",
        "vector",
    "latency", "throughput", "Ferry", "café", "naïve", "数据", "🚀", "lock", "writer", "database"
  };
  private static final String[] LANGS = {"en", "en", "en", "fr", "de", "ja", "es"};
  private static final String[] CATEGORIES = {"databases", "ai", "devops", "frontend", "security"};

  private FileStoresExample() {}

  /** Seed 000's data directory with {@code tweets} tweets. */
  public static void knowledgeBase(Path dir, int tweets, long seed) {
    Random r = new Random(seed);
    try {
      Files.createDirectories(dir);
      try (JsonGenerator g =
          JSON.createGenerator(dir.resolve("tweet_cache.json").toFile(), JsonEncoding.UTF8)) {
        g.writeStartObject();
        for (int i = 0; i < tweets; i++) {
          String id = Long.toString(1_790_000_000_000_000_000L + i);
          g.writeFieldName(id);
          g.writeStartObject();
          g.writeStringField("tweet_id", id);
          g.writeBooleanField("cache_complete", r.nextInt(10) > 0);
          g.writeBooleanField("media_processed", r.nextBoolean());
          g.writeBooleanField("categories_processed", r.nextBoolean());
          g.writeFieldName("content_data");
          g.writeStartObject();
          g.writeStringField("text", sentence(r, 8 + r.nextInt(20)));
          g.writeStringField("lang", LANGS[r.nextInt(LANGS.length)]);
          g.writeStringField("author", "user" + r.nextInt(Math.max(1, tweets / 50)));
          g.writeNumberField("likes", r.nextInt(5000));
          g.writeArrayFieldStart("hashtags");
          for (int h = r.nextInt(3); h > 0; h--) {
            g.writeString(WORDS[r.nextInt(WORDS.length)]);
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeArrayFieldStart("media");
          for (int m = r.nextInt(3); m > 0; m--) {
            g.writeStartObject();
            g.writeStringField("url", "https://pbs.example/media/" + id + "_" + m + ".jpg");
            g.writeStringField("type", r.nextBoolean() ? "photo" : "video");
            g.writeNumberField("width", 320 + r.nextInt(1600));
            g.writeEndObject();
          }
          g.writeEndArray();
          if (r.nextInt(20) == 0) {
            g.writeStringField("main_category", CATEGORIES[r.nextInt(CATEGORIES.length)]);
          }
          g.writeStringField(
              "cached_at", Instant.ofEpochSecond(1_700_000_000L + i * 37L).toString());
          g.writeNumberField("relevance", r.nextInt(1000) / 8.0);
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      try (JsonGenerator g =
          JSON.createGenerator(dir.resolve("processing_queue.json").toFile(), JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeArrayFieldStart("queue");
        for (int i = 0; i < Math.max(1, tweets / 10); i++) {
          g.writeStartObject();
          g.writeStringField("tweet_id", Long.toString(1_790_000_000_000_000_000L + i));
          g.writeStringField("status", r.nextBoolean() ? "processed" : "unprocessed");
          g.writeNumberField("priority", r.nextInt(5));
          g.writeStringField(
              "created_at", Instant.ofEpochSecond(1_700_000_000L + i * 60L).toString());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("last_updated", "2024-06-01T12:00:00Z");
        g.writeEndObject();
      }
      try (JsonGenerator g =
          JSON.createGenerator(dir.resolve("categories.json").toFile(), JsonEncoding.UTF8)) {
        g.writeStartArray();
        for (String c : CATEGORIES) {
          for (int s = 0; s < 3; s++) {
            g.writeStartObject();
            g.writeStringField("main_category", c);
            g.writeStringField("sub_category", c + "-" + s);
            g.writeNumberField("item_count", r.nextInt(200));
            g.writeEndObject();
          }
        }
        g.writeEndArray();
      }
      Files.writeString(
          dir.resolve("processing_stats.json"),
          "{\"phase_runs\": {\"cache\": 12, \"media\": 9, \"llm\": 4},"
              + " \"total_tweets\": "
              + tweets
              + ", \"last_run\": \"2024-06-01T12:00:00Z\", \"avg_seconds_per_tweet\": 0.734}\n");
      Files.writeString(
          dir.resolve("runtime_stats.json"),
          "{\"2024-05-30\": {\"runs\": 3, \"seconds\": 812.5, \"errors\": 0},"
              + " \"2024-05-31\": {\"runs\": 5, \"seconds\": 1204.25, \"errors\": 2},"
              + " \"2024-06-01\": {\"runs\": 1, \"seconds\": 99.0, \"errors\": 0}}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Seed 003's bot directory with {@code drafts} drafts. */
  public static void bot(Path dir, int drafts, long seed) {
    Random r = new Random(seed);
    try {
      Files.createDirectories(dir.resolve("drafts"));
      Files.createDirectories(dir.resolve("logs"));
      for (int i = 0; i < drafts; i++) {
        String id = Long.toString(1_800_000_000_000_000_000L + i);
        Files.writeString(
            dir.resolve("drafts").resolve("draft_" + id + ".json"),
            "{\n  \"original_tweet_id\": \""
                + id
                + "\",\n  \"original_text\": \""
                + sentence(r, 10)
                + "\",\n  \"translated_text\": \""
                + sentence(r, 10)
                + "\",\n  \"target_language\": \""
                + LANGS[r.nextInt(LANGS.length)]
                + "\",\n  \"status\": \"draft\",\n  \"character_count\": "
                + (40 + r.nextInt(240))
                + ",\n  \"created_at\": \""
                + Instant.ofEpochSecond(1_710_000_000L + i * 600L)
                + "\"\n}\n",
            StandardCharsets.UTF_8);
      }
      Files.writeString(
          dir.resolve("logs").resolve("last_tweet_id.txt"),
          Long.toString(1_800_000_000_000_000_000L + drafts) + "\n");
      Files.writeString(
          dir.resolve("logs").resolve("api_usage.json"),
          "{\"twitter\": {\"calls\": "
              + r.nextInt(1000)
              + ", \"errors\": 3, \"last_call\": \"2024-06-01T10:00:00Z\"},"
              + " \"deepl\": {\"calls\": "
              + r.nextInt(1000)
              + ", \"errors\": 0, \"last_call\": \"2024-06-01T10:05:00Z\"},"
              + " \"openai\": {\"calls\": "
              + r.nextInt(1000)
              + ", \"errors\": 1, \"last_call\": \"2024-06-01T09:59:00Z\"}}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sentence(Random r, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
    }
    return b.toString();
  }
}
