package dev.ferry.map;

import dev.ferry.value.Conversion;
import dev.ferry.value.Transform;

/**
 * One target column a mapped table writes: from a source column (through its transform, then the
 * conversion to the column's declared type) or a constant of {@code set:}.
 *
 * @param target the target column
 * @param source the source column's name, or null for a constant
 * @param sourceIndex the source column's position among the columns read, or -1 for a constant
 * @param constant the constant's text (as written in ferry.yaml), when {@code source} is null
 * @param transform the transform applied first, or null
 * @param conversion the conversion to the target's declared type
 */
public record MappedColumn(
    TargetColumn target,
    String source,
    int sourceIndex,
    String constant,
    Transform transform,
    Conversion conversion) {

  /** What happens to the values on the way, for plan and inspect. */
  public String describe() {
    String from = source != null ? source : "constant " + constant;
    String via = transform != null ? " → " + transform.describe() : "";
    return from + via + " → " + target.name() + " " + target.type().formatted();
  }
}
