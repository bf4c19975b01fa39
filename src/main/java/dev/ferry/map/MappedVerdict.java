package dev.ferry.map;

import java.util.List;

/**
 * The verification of one mapped table.
 *
 * @param sourceRows the source rows that convert, read again (-1 when only counts were compared)
 * @param inTarget the rows of this run found in the target (all of its rows when it has no key)
 * @param ok every source row, after its transforms and conversion, equals a row the run inserted
 * @param notes what differs, naming rows, or what could not be checked
 */
public record MappedVerdict(long sourceRows, long inTarget, boolean ok, List<String> notes) {
  public MappedVerdict {
    notes = List.copyOf(notes);
  }
}
