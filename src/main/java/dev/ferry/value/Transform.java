package dev.ferry.value;

/** STUB of h-conv's Transform. */
public interface Transform {
  Object apply(Object value) throws ValueDoesNotFit;

  String describe();
}
