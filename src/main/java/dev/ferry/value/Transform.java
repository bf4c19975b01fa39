package dev.ferry.value;

/**
 * A repair applied to one source column's values before they are converted to the target type
 * (ferry.yaml {@code transform:}); made by {@link Transforms#parse}. Its output is null, a source
 * value (Long, Double, String, byte[]) or a {@code java.time} value ({@code Instant}, {@code
 * LocalDateTime}, {@code LocalDate}) that {@link Conversion} accepts.
 */
public interface Transform {
  /** The value after the repair; throws when the value cannot be repaired as configured. */
  Object apply(Object value) throws ValueDoesNotFit;

  /** What the transform does, for plan and inspect: {@code "'' and blank text become NULL"}. */
  String describe();
}
