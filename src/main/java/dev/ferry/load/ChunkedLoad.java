package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.SampledTable;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.Source;
import dev.ferry.value.TableChecksum;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Loads one table in committed chunks and restarts it when a sampled type proves wrong. The chunks
 * are rowid ranges of about --chunk-rows rows (the whole table when it is small, has no rowid or
 * chunking is off; for a resumed load, what is left after its last committed rowid), each loaded by
 * {@link TableLoader} in one transaction with its checkpoint and retried on a lost connection;
 * their counts and checksums add up to the table's, then its keys and indexes are built. A one-pass
 * load (types from a sample) whose chunk meets a value that does not fit has that chunk rolled
 * back, what its earlier chunks committed removed ({@link TableDiscard}), and loads again from the
 * first chunk under the full profile's plan.
 */
final class ChunkedLoad {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkedLoad.class);

  private final TableLoader loader;
  private final PostgresTarget target;
  private final LoadOptions options;
  private final Source source;
  private final LongConsumer progress;
  private final LoadedSoFar soFar;

  /**
   * Chunks of the table this load committed (not counting a resumed run's earlier ones): a one-pass
   * load that must start again removes them.
   */
  private int committedChunks;

  private long before;

  ChunkedLoad(
      PostgresTarget target,
      TablePlan table,
      LoadOptions options,
      Source source,
      LongConsumer progress,
      LoadedSoFar soFar,
      SampledTable sampled) {
    this.loader = new TableLoader(target, table, options, source, progress, soFar, sampled);
    this.target = target;
    this.options = options;
    this.source = source;
    this.progress = progress;
    this.soFar = soFar;
  }

  LoadResult run() {
    long start = System.nanoTime();
    while (true) {
      if (loader.sampled() && soFar != null) {
        // sampled types are checked from the table's first row
        loader.widen(null, "it resumes, so its types come from a full profile");
      }
      try {
        return load(start);
      } catch (TableLoader.Widen w) {
        discardCommitted();
        loader.widen(
            w.plan(), "a value does not fit the types chosen from a sample; loading it again");
      }
    }
  }

  /**
   * Removes what this load committed of the table (earlier chunks, their checkpoints, fixups and
   * rejects) before it loads again from the first chunk. Only a table this load created: a sampled
   * load runs only where the run creates its tables (--if-exists fail or drop, not resuming).
   */
  private void discardCommitted() {
    if (committedChunks == 0) {
      return; // the stop came in the first chunk, whose transaction committed nothing
    }
    TablePlan table = loader.table();
    if (!loader.created()) {
      throw new FerryException(
          ErrorCode.INTERNAL,
          "table "
              + table.source().name()
              + ": a one-pass load must load again a table it did not create");
    }
    TableDiscard.discard(target, options.run(), table);
    committedChunks = 0;
  }

  private LoadResult load(long start) {
    loader.plannedAsNow();
    List<long[]> ranges = chunks();
    long read = soFar == null ? 0 : soFar.read();
    long written = soFar == null ? 0 : soFar.written();
    long bytes = soFar == null ? 0 : soFar.bytes();
    long fixed = soFar == null ? 0 : soFar.fixed();
    long setAside = soFar == null ? 0 : soFar.setAside();
    BigInteger sum =
        soFar == null || soFar.checksum() == null ? BigInteger.ZERO : soFar.checksum().sum();
    long sumRows = soFar == null || soFar.checksum() == null ? 0 : soFar.checksum().rows();
    int firstChunk = soFar == null ? 0 : soFar.chunks();
    String name = loader.table().source().name();
    for (int k = 0; k < ranges.size(); k++) {
      boolean first = soFar == null && k == 0;
      boolean last = k == ranges.size() - 1;
      long[] range = ranges.get(k);
      int chunk = firstChunk + k;
      long readBefore = read;
      if (!first) {
        loader.markChunk(); // the rows of the chunks committed so far
      }
      LoadResult part;
      try {
        part =
            Retry.withBackoff(
                "loading table " + name + (ranges.size() > 1 ? " (chunk " + chunk + ")" : ""),
                () -> {
                  if (first) {
                    // every attempt starts from the plan: the failed one left nothing behind
                    loader.restartFromPlan();
                  } else {
                    loader.rewindChunk(); // a chunk tried again is not profiled twice
                  }
                  return loader.loadChunk(first, last, chunk, range, readBefore);
                });
      } catch (SQLException e) {
        throw target.failure("loading table " + name + " into " + loader.table().qualified(), e);
      }
      committedChunks++;
      LOG.debug("table {}: chunk {} committed", name, chunk);
      read += part.rowsRead();
      written += part.rowsWritten();
      bytes += part.bytes();
      fixed += part.fixed();
      setAside += part.setAside();
      if (first) {
        before = part.rowsBefore();
      }
      if (part.sourceChecksum() != null) {
        sum = sum.add(part.sourceChecksum().sum());
        sumRows += part.sourceChecksum().rows();
      }
    }
    progress.accept(read);
    // chunks committed without a checksum leave the sum incomplete: then there is none
    TableChecksum checksum =
        options.checksum() && (soFar == null || soFar.checksum() != null)
            ? new TableChecksum(sumRows, sum)
            : null;
    TablePlan table = loader.table();
    List<dev.ferry.plan.Note> notes = loader.notes();
    notes.addAll(target.runSteps("table " + name, table.constraints(), soFar != null));
    return new LoadResult(
        read,
        written,
        before,
        fixed,
        setAside,
        bytes,
        System.nanoTime() - start,
        checksum,
        List.copyOf(notes));
  }

  /**
   * The rowid ranges to load, each committed with its checkpoint: the whole table when it is small,
   * has no rowid, or chunking is off; for a resumed load, what is left after the last committed
   * rowid.
   */
  private List<long[]> chunks() {
    TablePlan table = loader.table();
    List<long[]> out = new ArrayList<>();
    long[] whole = {Long.MIN_VALUE, Long.MAX_VALUE};
    long rows = table.rowCount();
    long[] span =
        table.source().withoutRowid() || options.chunkRows() <= 0 || rows <= options.chunkRows()
            ? new long[0]
            : source.rowidRange(table.source());
    if (span.length == 0) {
      out.add(
          soFar != null && soFar.uptoRowid() != null
              ? new long[] {soFar.uptoRowid() + 1, Long.MAX_VALUE}
              : whole);
      return out;
    }
    long n = (rows + options.chunkRows() - 1) / options.chunkRows();
    long width = Math.max(1, (span[1] - span[0]) / n + 1);
    for (long from = span[0]; from <= span[1]; from += width) {
      long to = from + width - 1 >= span[1] ? Long.MAX_VALUE : from + width - 1;
      if (soFar != null && soFar.uptoRowid() != null) {
        if (to <= soFar.uptoRowid()) {
          continue;
        }
        from = Math.max(from, soFar.uptoRowid() + 1);
      }
      out.add(new long[] {from, to});
      if (to == Long.MAX_VALUE) {
        break;
      }
    }
    if (out.isEmpty()) {
      out.add(new long[] {soFar.uptoRowid() + 1, Long.MAX_VALUE});
    }
    return out;
  }
}
