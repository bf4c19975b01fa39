package dev.ferry.load;

import dev.ferry.value.TableChecksum;

/**
 * What earlier chunks of a table committed (from ferry.checkpoints): where a resumed load goes on.
 *
 * @param chunks chunks committed
 * @param uptoRowid the last rowid committed, or null when the table was loaded whole
 * @param last the table's last chunk is among them: the table is complete
 * @param read rows read
 * @param written rows stored
 * @param bytes COPY bytes
 * @param checksum source-side checksum of the committed rows
 * @param fixed values repaired
 * @param setAside rows set aside
 * @param loading how the chunks' rows were loaded ({@code plan.SampledTable.loading} of the plan
 *     they were loaded under), or null when not recorded (a run before it was) or not one for all
 */
public record LoadedSoFar(
    int chunks,
    Long uptoRowid,
    boolean last,
    long read,
    long written,
    long bytes,
    TableChecksum checksum,
    long fixed,
    long setAside,
    String loading) {}
