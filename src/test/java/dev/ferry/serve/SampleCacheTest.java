package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shared samples' rules: concurrent requests for one key make one read and get its answer; an
 * invalidation or age makes the next request read again; a failed read is not remembered; the
 * number of answers kept is bounded.
 */
class SampleCacheTest {
  @Test
  void concurrentRequestsForOneKeyMakeOneRead() throws Exception {
    SampleCache<String, Integer> cache = new SampleCache<>(60_000, 16);
    AtomicInteger reads = new AtomicInteger();
    CountDownLatch allAsked = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        answers.add(
            pool.submit(
                () ->
                    cache.get(
                        "facet",
                        () -> {
                          try {
                            allAsked.await(); // the read is slow: everyone asks meanwhile
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return reads.incrementAndGet();
                        })));
      }
      Thread.sleep(200);
      allAsked.countDown();
      for (Future<Integer> a : answers) {
        assertThat(a.get()).isEqualTo(1);
      }
      assertThat(reads.get()).isEqualTo(1);
      assertThat(cache.reads()).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aWriteOrAgeMakesTheNextRequestReadAgain() throws Exception {
    SampleCache<String, Integer> cache = new SampleCache<>(60_000, 16);
    AtomicInteger reads = new AtomicInteger();
    assertThat(cache.get("k", reads::incrementAndGet)).isEqualTo(1);
    assertThat(cache.get("k", reads::incrementAndGet)).isEqualTo(1);
    cache.invalidateAll();
    assertThat(cache.get("k", reads::incrementAndGet)).isEqualTo(2);
    SampleCache<String, Integer> young = new SampleCache<>(0, 16);
    young.get("k", reads::incrementAndGet);
    Thread.sleep(5);
    young.get("k", reads::incrementAndGet);
    assertThat(young.reads()).isEqualTo(2);
  }

  @Test
  void aFailedReadIsNotRemembered() throws Exception {
    SampleCache<String, Integer> cache = new SampleCache<>(60_000, 16);
    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    () -> {
                      throw new SQLException("canceling statement due to statement timeout");
                    }))
        .isInstanceOf(SQLException.class);
    assertThat(cache.get("k", () -> 7)).isEqualTo(7);
  }

  @Test
  void theAnswersKeptAreBounded() throws Exception {
    SampleCache<Integer, Integer> cache = new SampleCache<>(60_000, 8);
    for (int i = 0; i < 100; i++) {
      int v = i;
      cache.get(i, () -> v);
    }
    AtomicInteger reads = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      cache.get(i, reads::incrementAndGet);
    }
    assertThat(reads.get()).as("most were evicted, so read again").isGreaterThan(80);
  }
}
